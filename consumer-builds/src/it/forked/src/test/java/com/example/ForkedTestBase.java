package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.RunId;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** Four classes extend this one, so that each fork runs more than one class when forks are reused. */
@IsolatedKafka(topics = @Topic(name = "events"))
@IsolatedPostgres(ddl = true) // its test creates a table of its own: DDL, which a test role may only run when declared
abstract class ForkedTestBase {

    @Test
    void publishes(KafkaHandle kafka) {
        mark();
        kafka.send("events", "k", getClass().getSimpleName());
        assertThat(kafka.records("events").await(1)).extracting(ConsumerRecord::value)
                .containsExactly(getClass().getSimpleName());
    }

    @Test
    void stores(PostgresHandle postgres) {
        mark();
        postgres.update("CREATE TABLE t (v text)");
        postgres.update("INSERT INTO t VALUES ('" + getClass().getSimpleName() + "')");
        assertThat(postgres.queryForObject("SELECT count(*) FROM t", Long.class)).isEqualTo(1);
    }

    /** Which JVM ran the class: its run id and its Testcontainers session (the label of the containers it made). */
    private void mark() {
        System.out.println("[forked] " + getClass().getSimpleName() + " run " + RunId.current()
                + " testcontainers-session " + DockerClientFactory.SESSION_ID);
    }
}
