package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.RepeatedTest;

/** fixtures-kafka alone: each repetition gets its own, empty topic. */
// tag::kafka[]
@IsolatedKafka(topics = @Topic(name = "orders", partitions = 3))
class KafkaIsolationTest {

    private static final Set<String> TOPICS_SEEN = ConcurrentHashMap.newKeySet();

    @RepeatedTest(2)
    void sendsAndReceives(KafkaHandle kafka) {
        kafka.send("orders", "order-1", "created");

        List<ConsumerRecord<String, String>> records = kafka.records("orders").await(1);

        assertThat(records).extracting(ConsumerRecord::value).containsExactly("created");
        assertThat(kafka.topic("orders")).startsWith("cr"); // named after the run, so leftovers can be told apart
        assertThat(TOPICS_SEEN.add(kafka.topic("orders"))).as("a topic no earlier repetition had").isTrue();
    }
}
// end::kafka[]
