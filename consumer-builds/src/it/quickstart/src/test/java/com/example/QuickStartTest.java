// tag::quickstart[]
package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.RepeatedTest;

@IsolatedKafka(topics = @Topic(name = "hooks"))
@IsolatedPostgres(migrations = "db/migration")
class QuickStartTest {

    @RepeatedTest(2) // each repetition starts from an empty schema and an empty topic
    void storesAndPublishesAHook(PostgresHandle postgres, KafkaHandle kafka) {
        postgres.update("INSERT INTO hook_events (source, event_id, event_type, payload, received_at)"
                + " VALUES ('github', 'e-1', 'push', '{}'::jsonb, now())");
        kafka.send("hooks", "e-1", "push");

        List<ConsumerRecord<String, String>> records = kafka.records("hooks").await(1);

        assertThat(records).extracting(ConsumerRecord::value).containsExactly("push");
        assertThat(postgres.queryForObject("SELECT count(*) FROM hook_events", Long.class)).isEqualTo(1);
    }
}
// end::quickstart[]
