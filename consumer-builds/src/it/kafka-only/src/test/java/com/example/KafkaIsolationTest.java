package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.RepeatedTest;

/** fixtures-kafka alone: each repetition gets its own, empty topic. */
@IsolatedKafka(topics = @Topic(name = "orders", partitions = 3))
class KafkaIsolationTest {

    @RepeatedTest(2)
    void sendsAndReceives(KafkaHandle kafka) {
        kafka.send("orders", "order-1", "created");

        List<ConsumerRecord<String, String>> records = kafka.records("orders").await(1);

        assertThat(records).extracting(ConsumerRecord::value).containsExactly("created");
        assertThat(kafka.topic("orders")).endsWith("_orders").startsWith("cr");
    }
}
