package dev.cleanroom.examples;

import static dev.cleanroom.examples.ExampleWiring.WORKFLOW_FINISHED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolatedServices;
import dev.cleanroom.examples.hooks.HookReceiver;
import dev.cleanroom.examples.support.HookClient;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.examples.workflow.WorkflowOutcome;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Pattern: state does not leak between tests. The same test runs several times in one
 * run, concurrently, posting the same event id every time; each repetition starts with
 * empty tables and empty topics, and its event is new (202, not "duplicate").
 */
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@IsolatedPostgres(migrations = "db/migration")
@IsolatedServices({HookReceiverFactory.class, WorkflowCoordinatorFactory.class})
class StateDoesNotLeakBetweenTestsTest {

    @RepeatedTest(3)
    void sameEventIdIsNewInEveryRepetition(HookReceiver receiver, WorkflowCoordinator coordinator,
                                           PostgresHandle postgres, KafkaHandle kafka, EventCoordinator events)
            throws Exception {
        assertThat(postgres.queryForObject("select count(*) from hook_events", Long.class)).isZero();
        assertThat(postgres.queryForObject("select count(*) from workflows", Long.class)).isZero();

        HookClient.Response response = new HookClient(receiver.uri()).post("shop", """
                {"id": "always-the-same", "type": "order.created", "payload": {}}""");

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        events.await(WORKFLOW_FINISHED, 1, Duration.ofSeconds(30), WorkflowOutcome.class);
        assertThat(postgres.queryForObject("select count(*) from workflows", Long.class)).isEqualTo(1L);
        // the topics hold this repetition's records only
        assertThat(ExampleWiring.keysOn(kafka, "hooks")).containsExactly("shop:always-the-same");
        assertThat(ExampleWiring.keysOn(kafka, "workflow-completions")).containsExactly("hook:shop:always-the-same");
    }
}
