package dev.cleanroom.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.context.WebApplicationContext;

/**
 * No cross-test rows or records, including what the listener did: every repetition (here and
 * in {@link IsolationSecondClassTest}, concurrently, in one cached context) posts the same
 * event id, finds it new, and sees exactly its own hook row, workflow rows and records.
 */
@IsolatedPostgres
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@SpringBootTest(classes = HookWorkflowApplication.class)
class IsolationTest {

    @Autowired
    WebApplicationContext context;

    @RepeatedTest(4)
    void sameEventIdIsNewInEveryTestAndOnlyItsOwnWorkIsSeen(PostgresHandle postgres, KafkaHandle kafka)
            throws Exception {
        assertThat(postgres.queryForObject("select count(*) from hook_events", Long.class)).isZero();
        assertThat(postgres.queryForObject("select count(*) from workflows", Long.class)).isZero();

        assertThat(Hooks.post(Hooks.client(context), "shop", Hooks.event("always-the-same", "order.created"))
                .getResponse().getStatus()).as("new, not a duplicate").isEqualTo(202);

        assertThat(kafka.records("workflow-completions").await(1)).extracting(ConsumerRecord::key)
                .containsExactly("hook:shop:always-the-same");
        // the listener's rows are in this test's schema, once
        assertThat(postgres.queryForObject("select count(*) from workflows", Long.class)).isEqualTo(1L);
        assertThat(postgres.queryForObject("select count(*) from workflow_transitions", Long.class)).isEqualTo(8L);
        // the topics hold this test's records only
        assertThat(Hooks.keysOn(kafka, "hooks")).containsExactly("shop:always-the-same");
        assertThat(Hooks.keysOn(kafka, "workflow-completions")).containsExactly("hook:shop:always-the-same");
        assertThat(ContextCreations.COUNT).as("application contexts made in this JVM").hasValue(1);
    }
}
