package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.internal.ThreadLeaks;
import dev.cleanroom.testkit.EngineKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link KafkaHandle#producer()} is one producer for the whole run: it writes only to the
 * sending test's topics, a test's records on their way are waited for at its end, and
 * closing it in a test only flushes. The outer class is an {@code @IsolatedKafka} test, so
 * the nested runs share its broker (and its run's producer).
 */
@IsolatedKafka(topics = @Topic(name = "outer"))
class SharedProducerTest {

    static final List<Object> SEEN = new ArrayList<>();
    static volatile String outerTopic;

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "mine"))
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Isolation {
        @Test
        @Order(1)
        void writesToItsOwnTopicOnly(KafkaHandle kafka) throws Exception {
            KafkaProducer<String, String> producer = kafka.producer();
            SEEN.add(producer);
            SEEN.add(kafka.topic("mine"));
            producer.send(new ProducerRecord<>(kafka.topic("mine"), "k", "mine")).get();
            assertThat(kafka.records("mine").await(1)).extracting(ConsumerRecord::value).containsExactly("mine");
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(outerTopic, "k", "stolen")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a topic of SharedProducerTest")
                    .hasMessageContaining("not of Isolation.writesToItsOwnTopicOnly");
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("raw-topic-of-nobody", "k", "v")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"raw-topic-of-nobody\" is not a topic of a running test")
                    .hasMessageContaining("make a producer of your own");
        }

        @Test
        @Order(2)
        void cannotWriteToAnEndedTestsTopic(KafkaHandle kafka) {
            KafkaProducer<String, String> producer = kafka.producer();
            SEEN.add(producer);
            String ended = (String) SEEN.get(1);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(ended, "k", "late")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + ended + "\" is not a topic of a running test");
        }
    }

    @Test
    void writesOnlyToTheSendingTestsTopics(KafkaHandle kafka) {
        SEEN.clear();
        outerTopic = kafka.topic("outer");
        kafka.producer(); // the outer test's topics are now the shared producer's too

        var results = EngineKit.run(Isolation.class);
        assertThat(EngineKit.failureMessages(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.succeeded(2));

        assertThat(SEEN.get(0)).as("one producer for the run").isSameAs(SEEN.get(2)).isSameAs(kafka.producer());
        Thread network = ThreadLeaks.snapshot().stream()
                .filter(t -> t.getName().startsWith("kafka-producer-network-thread | cr") && t.getName().endsWith("_producer"))
                .findFirst().orElseThrow();
        assertThat(ThreadLeaks.SHARED_SERVER_GROUP.parentOf(network.getThreadGroup()))
                .as("its thread is the shared servers', never a test's leak").isTrue();
    }

    // ---------------------------------------------------------------- records left on their way

    static final int UNSENT = 3000;
    static final AtomicInteger ACKNOWLEDGED = new AtomicInteger();
    static volatile int acknowledgedWhenTheNextTestStarted = -1;

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "burst"))
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Unsent {
        @Test
        @Order(1)
        void sendsWithoutWaiting(KafkaHandle kafka) {
            KafkaProducer<String, String> producer = kafka.producer();
            String value = "x".repeat(2000);
            for (int i = 0; i < UNSENT; i++) {
                // counted when done either way: what the test's end must wait for is every record's outcome
                // (a slow broker may expire some: their senders see that on their callbacks)
                producer.send(new ProducerRecord<>(kafka.topic("burst"), "k" + i, value),
                        (m, e) -> ACKNOWLEDGED.incrementAndGet());
            }
        }

        @Test
        @Order(2)
        void runsNext() {
            acknowledgedWhenTheNextTestStarted = ACKNOWLEDGED.get();
        }
    }

    @Test
    void recordsLeftOnTheirWayAreWaitedForAtTheTestsEnd() {
        ACKNOWLEDGED.set(0);

        var results = EngineKit.run(Unsent.class);
        assertThat(EngineKit.failureMessages(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.succeeded(2));

        assertThat(acknowledgedWhenTheNextTestStarted).as("records done (acknowledged or failed) before the next test started").isEqualTo(UNSENT);
        NestedStatistics.assertNothingLeft();
    }

    // ---------------------------------------------------------------- close only flushes

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "events"))
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Closing {
        @Test
        @Order(1)
        void closesIt(KafkaHandle kafka) {
            Future<RecordMetadata> first;
            try (KafkaProducer<String, String> producer = kafka.producer()) {
                first = producer.send(new ProducerRecord<>(kafka.topic("events"), "k", "first"));
            }
            assertThat(first).as("acknowledged when close returned").isDone();
            Future<RecordMetadata> second = kafka.producer().send(new ProducerRecord<>(kafka.topic("events"), "k", "second"));
            kafka.producer().close(Duration.ofSeconds(5));
            assertThat(second).as("acknowledged when close(timeout) returned").isDone();
            assertThat(kafka.records("events").await(2)).hasSize(2);
        }

        @Test
        @Order(2)
        void stillSends(KafkaHandle kafka) throws Exception {
            kafka.producer().send(new ProducerRecord<>(kafka.topic("events"), "k", "third")).get();
            kafka.send("events", "k", "fourth");
            assertThat(kafka.records("events").await(2)).extracting(ConsumerRecord::value).containsExactly("third", "fourth");
        }
    }

    @Test
    void closingItInATestOnlyFlushes() {
        var results = EngineKit.run(Closing.class);
        assertThat(EngineKit.failureMessages(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.succeeded(2));
        NestedStatistics.assertNothingLeft();
    }

    @Test
    void producersWithTheirOwnSerializersStayTheTests(KafkaHandle kafka) throws Exception {
        KafkaProducer<String, String> own = kafka.producer(new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer());
        assertThat(own).isNotSameAs(kafka.producer());
        own.send(new ProducerRecord<>(kafka.topic("outer"), "k", "v")).get();
        assertThat(kafka.records("outer").await(1)).hasSize(1);
    }
}
