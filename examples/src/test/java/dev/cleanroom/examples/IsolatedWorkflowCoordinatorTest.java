package dev.cleanroom.examples;

import static dev.cleanroom.examples.ExampleWiring.HOOK_PROCESSED;
import static dev.cleanroom.examples.ExampleWiring.WORKFLOW_FINISHED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolatedServices;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.examples.hooks.HookEvent;
import dev.cleanroom.examples.workflow.HookProcessed;
import dev.cleanroom.examples.workflow.Workflow;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.examples.workflow.WorkflowOutcome;
import dev.cleanroom.examples.workflow.WorkflowState;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Pattern: an isolated service instance. The test declares a {@link WorkflowCoordinator}
 * parameter and gets a fresh, started coordinator wired to its own topics, consumer group
 * and schema; it is stopped after the test, before the topics and schema go.
 */
// tag::services[]
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@IsolatedPostgres(migrations = "db/migration")
@IsolatedServices(WorkflowCoordinatorFactory.class)
class IsolatedWorkflowCoordinatorTest {

    @Test
    void coordinatorIsWiredToThisTestsTopicsGroupAndSchema(WorkflowCoordinator coordinator, KafkaHandle kafka,
                                                           PostgresHandle postgres, TaskTracker tasks) throws Exception {
        assertThat(coordinator.isRunning()).isTrue();
        assertThat(coordinator.config().hookTopic()).isEqualTo(kafka.topic("hooks"));
        assertThat(coordinator.config().completionTopic()).isEqualTo(kafka.topic("workflow-completions"));
        assertThat(coordinator.config().groupId()).isEqualTo(kafka.groupId("workflow-coordinator"));
        // end::services[]

        // tag::await[]
        Workflow workflow = coordinator.submitWorkflow("nightly-report", "collect", "render");
        WorkflowOutcome outcome = tasks.await(workflow.outcome(), Duration.ofSeconds(30)); // parked: no extra JUnit test
        // end::await[]

        assertThat(outcome.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(postgres.queryForList(
                "select coalesce(task_name, '-') as task, from_state, to_state from workflow_transitions order by id"))
                .extracting(row -> row.get("task") + ":" + row.get("from_state") + "->" + row.get("to_state"))
                .containsExactly(
                        "-:null->PENDING", "collect:null->PENDING", "render:null->PENDING",
                        "-:PENDING->RUNNING",
                        "collect:PENDING->RUNNING", "collect:RUNNING->SUCCEEDED",
                        "render:PENDING->RUNNING", "render:RUNNING->SUCCEEDED",
                        "-:RUNNING->COMPLETED");
    }

    @Test
    void hookEventOnThisTestsTopicStartsItsWorkflowOnce(WorkflowCoordinator coordinator, KafkaHandle kafka,
                                                        EventCoordinator events, PostgresHandle postgres) {
        HookEvent event = new HookEvent("shop", "order-17", "order.created",
                JsonNodeFactory.instance.objectNode().put("total", 42), Instant.now());
        kafka.send("hooks", event.key(), event.toJson());
        kafka.send("hooks", event.key(), event.toJson()); // redelivered: must not start a second workflow

        var processed = events.await(HOOK_PROCESSED, 2, Duration.ofSeconds(30), HookProcessed.class);
        WorkflowOutcome outcome = events.await(WORKFLOW_FINISHED, 1, Duration.ofSeconds(30), WorkflowOutcome.class).get(0);

        assertThat(processed).extracting(HookProcessed::duplicate).containsExactly(false, true);
        assertThat(outcome.workflowId()).isEqualTo("hook:shop:order-17");
        assertThat(outcome.taskStates()).containsExactly("reserve=SUCCEEDED", "charge=SUCCEEDED", "ship=SUCCEEDED");
        assertThat(postgres.queryForObject("select count(*) from workflows", Long.class)).isEqualTo(1L);
        assertThat(postgres.queryForObject("select count(*) from task_ledger", Long.class)).isEqualTo(3L);
    }
}
