package dev.cleanroom.examples;

import static dev.cleanroom.examples.ExampleWiring.HOOK_PROCESSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolatedServices;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.examples.workflow.HookProcessed;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.examples.workflow.WorkflowDefinition;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WorkflowCoordinator's contract beyond the happy path: records that are not hook events
 * are skipped and counted, lifecycle misuse and bad definitions are refused with a message
 * that says what to do.
 */
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@IsolatedPostgres(migrations = "db/migration")
@IsolatedServices(WorkflowCoordinatorFactory.class)
class WorkflowCoordinatorContractTest {

    @Test
    void recordThatIsNotAHookEventIsSkippedAndTheNextOneIsProcessed(WorkflowCoordinator coordinator,
                                                                    KafkaHandle kafka, EventCoordinator events,
                                                                    PostgresHandle postgres) {
        kafka.send("hooks", "garbage", "not json at all");
        kafka.send("hooks", "shop:ok-1", """
                {"source": "shop", "id": "ok-1", "type": "order.created", "payload": {}, "receivedAt": "2026-01-01T00:00:00Z"}""");

        List<HookProcessed> processed = events.await(HOOK_PROCESSED, 1, Duration.ofSeconds(30), HookProcessed.class);

        assertThat(processed).extracting(p -> p.event().id()).containsExactly("ok-1");
        assertThat(coordinator.rejectedRecords()).isEqualTo(1);
        assertThat(postgres.queryForObject("select count(*) from workflows", Long.class)).isEqualTo(1L);
    }

    @Test
    void lifecycleMisuseIsRefused(KafkaHandle kafka, PostgresHandle postgres, TaskTracker tasks,
                                  EventCoordinator events) {
        WorkflowCoordinator coordinator = new WorkflowCoordinator(
                ExampleWiring.workflowCoordinator(kafka, postgres, tasks, events));

        assertThatThrownBy(() -> coordinator.submitWorkflow("report", "collect"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is NEW; call start() first");
        coordinator.start();
        try {
            assertThatThrownBy(coordinator::start).hasMessageContaining("can be started once; it is STARTED");
        } finally {
            coordinator.stop();
            coordinator.stop(); // idempotent
        }
        assertThat(coordinator.isRunning()).isFalse();
        assertThatThrownBy(() -> coordinator.submitWorkflow("report", "collect"))
                .hasMessageContaining("is STOPPED");
    }

    @Test
    void badWorkflowDefinitionsSayWhatIsAllowed() {
        assertThatThrownBy(() -> WorkflowDefinition.of("report"))
                .hasMessageContaining("workflow 'report' needs at least one task");
        assertThatThrownBy(() -> WorkflowDefinition.of("report", "collect", "collect"))
                .hasMessageContaining("task names must be unique within workflow 'report'");
        assertThatThrownBy(() -> WorkflowDefinition.of("re port", "collect"))
                .hasMessageContaining("workflow name must be 1-100 characters [A-Za-z0-9._-], got 're port'");
    }
}
