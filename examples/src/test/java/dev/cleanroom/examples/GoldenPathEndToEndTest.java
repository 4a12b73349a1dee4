package dev.cleanroom.examples;

import static dev.cleanroom.examples.ExampleWiring.WORKFLOW_FINISHED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolatedServices;
import dev.cleanroom.examples.hooks.HookEvent;
import dev.cleanroom.examples.hooks.HookReceiver;
import dev.cleanroom.examples.support.HookClient;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.examples.workflow.WorkflowOutcome;
import dev.cleanroom.examples.workflow.WorkflowState;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The golden path, end to end on real servers: POST a hook → stored in Postgres →
 * published to Kafka → the coordinator runs the workflow's tasks → completion event,
 * asserted in Postgres and in Kafka.
 */
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@IsolatedPostgres(migrations = "db/migration")
@IsolatedServices({HookReceiverFactory.class, WorkflowCoordinatorFactory.class})
class GoldenPathEndToEndTest {

    @Test
    void postedHookIsStoredPublishedRunAsWorkflowAndReportedComplete(HookReceiver receiver,
                                                                      WorkflowCoordinator coordinator,
                                                                      PostgresHandle postgres, KafkaHandle kafka,
                                                                      EventCoordinator events) throws Exception {
        // 1. a shop posts a hook
        HookClient.Response response = new HookClient(receiver.uri()).post("shop", """
                {"id": "order-1001", "type": "order.created", "payload": {"sku": "A-1", "qty": 2}}""");
        assertThat(response.status()).as(response.body()).isEqualTo(202);

        // 2. stored
        assertThat(postgres.queryForObject(
                "select payload->>'sku' from hook_events where source = 'shop' and event_id = 'order-1001'", String.class))
                .isEqualTo("A-1");

        // 3. published
        ConsumerRecord<String, String> hook = kafka.records("hooks").await(1, Duration.ofSeconds(30)).get(0);
        assertThat(hook.key()).isEqualTo("shop:order-1001");
        assertThat(HookEvent.fromJson(hook.value()).type()).isEqualTo("order.created");

        // 4. the workflow ran its tasks, in order, each transition recorded
        WorkflowOutcome finished = events.await(WORKFLOW_FINISHED, 1, Duration.ofSeconds(30), WorkflowOutcome.class).get(0);
        String workflowId = "hook:shop:order-1001";
        assertThat(finished.workflowId()).isEqualTo(workflowId);
        assertThat(postgres.queryForObject("select state from workflows where workflow_id = ?", String.class, workflowId))
                .isEqualTo("COMPLETED");
        assertThat(postgres.queryForList("select name, state from workflow_tasks where workflow_id = ? order by position",
                workflowId)).containsExactly(
                Map.of("name", "reserve", "state", "SUCCEEDED"),
                Map.of("name", "charge", "state", "SUCCEEDED"),
                Map.of("name", "ship", "state", "SUCCEEDED"));
        assertThat(postgres.queryForObject("select count(*) from workflow_transitions where workflow_id = ?", Long.class,
                workflowId)).isEqualTo(1 + 3 + 1 + 3 * 2 + 1L); // created, tasks created, running, 3 × (running, done), completed
        assertThat(postgres.queryForObject("select count(*) from task_ledger where workflow_id = ?", Long.class, workflowId))
                .isEqualTo(3L);

        // 5. the completion event
        ConsumerRecord<String, String> completion = kafka.records("workflow-completions").await(1, Duration.ofSeconds(30)).get(0);
        assertThat(completion.key()).isEqualTo(workflowId);
        WorkflowOutcome published = WorkflowOutcome.fromJson(completion.value());
        assertThat(published.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(published).isEqualTo(finished);
    }
}
