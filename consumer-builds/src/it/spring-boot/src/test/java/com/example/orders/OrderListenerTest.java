package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

// tag::spring[]
@IsolatedPostgres
@IsolatedKafka(topics = {@Topic(name = "orders"), @Topic(name = "orders-stored")})
@SpringBootTest
class OrderListenerTest {

    @RepeatedTest(2)
    void listenerWorkLandsInThisTestsSchemaAndTopics(KafkaHandle kafka, PostgresHandle postgres) {
        kafka.send("orders", "o-1", "created"); // the same key in every repetition, concurrently

        assertThat(kafka.records("orders-stored").await(1)).extracting(ConsumerRecord::value).containsExactly("created");
        assertThat(postgres.queryForObject("select count(*) from orders", Long.class)).isEqualTo(1L);
    }

    @Test
    void allTestsShareOneApplicationContext() {
        assertThat(ContextCreations.COUNT).hasValue(1);
    }
}
// end::spring[]
