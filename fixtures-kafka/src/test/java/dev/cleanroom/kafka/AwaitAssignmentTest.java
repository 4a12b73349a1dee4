package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** {@link KafkaHandle#awaitAssignment}: a subscribed consumer is ready before the body goes on, and loses nothing. */
@IsolatedKafka(topics = @Topic(name = "orders", partitions = 3))
class AwaitAssignmentTest {

    @Test
    void theConsumerHasItsPartitionsAndLosesNoRecordToTheWait(KafkaHandle kafka) {
        for (int i = 0; i < 3; i++) {
            kafka.send("orders", "before-" + i, "v"); // there to be fetched while the wait polls
        }
        // tag::await-assignment[]
        KafkaConsumer<String, String> consumer = kafka.consumer("workers");
        consumer.subscribe(List.of(kafka.topic("orders")));

        assertThat(kafka.awaitAssignment(consumer)).containsExactlyInAnyOrder(new TopicPartition(kafka.topic("orders"), 0),
                new TopicPartition(kafka.topic("orders"), 1), new TopicPartition(kafka.topic("orders"), 2));
        // end::await-assignment[]
        kafka.send("orders", "after", "v");

        List<String> keys = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (keys.size() < 4 && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                keys.add(r.key());
            }
        }
        assertThat(keys).containsExactlyInAnyOrder("before-0", "before-1", "before-2", "after");
    }

    @Test
    void aConsumerThatDidNotSubscribeIsToldToSubscribe(KafkaHandle kafka) {
        KafkaConsumer<String, String> consumer = kafka.consumer("workers");

        assertThatThrownBy(() -> kafka.awaitAssignment(consumer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither subscribed to topics nor been assigned partitions")
                .hasMessageContaining("consumer.subscribe(");
    }

    @Test
    void aConsumerThatGetsNoPartitionSaysWhatItWaitedFor(KafkaHandle kafka) {
        KafkaConsumer<String, String> consumer = kafka.consumer("idle");
        consumer.subscribe(Pattern.compile("no-such-topic-" + kafka.groupId("idle")));

        assertThatThrownBy(() -> kafka.awaitAssignment(consumer, Duration.ofSeconds(1)))
                .isInstanceOf(WaitTimeoutException.class)
                .hasMessageStartingWith("Expected the consumer of group " + kafka.groupId("idle") + " (subscribed to ")
                .hasMessageContaining("to be assigned partitions within 1 s, but it had none");
    }
}
