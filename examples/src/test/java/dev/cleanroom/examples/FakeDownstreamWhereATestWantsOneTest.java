package dev.cleanroom.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolatedServices;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.examples.support.FakeDownstream;
import dev.cleanroom.examples.workflow.Downstream;
import dev.cleanroom.examples.workflow.TaskRequest;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.examples.workflow.WorkflowOutcome;
import dev.cleanroom.examples.workflow.WorkflowState;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/**
 * Pattern: a lightweight fake for one dependency, real servers for the rest. Kafka and
 * Postgres stay real (isolation makes them cheap); the downstream service is replaced where
 * a test wants to decide what it answers. Two ways: build the coordinator with a hand-made
 * fake, wired exactly as the factory wires it ({@link ExampleWiring}) but for that one
 * dependency; or keep the isolated coordinator and put a mock in a field, which
 * {@link WorkflowCoordinatorFactory} picks up.
 */
@ExtendWith(MockitoExtension.class)
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@IsolatedPostgres(migrations = "db/migration")
@IsolatedServices(WorkflowCoordinatorFactory.class)
class FakeDownstreamWhereATestWantsOneTest {

    /** Used instead of the real downstream by every coordinator the factory makes for this class. */
    @Mock
    Downstream downstream;

    @Test
    void handMadeFakeFailsATaskSoTheWorkflowFailsAndSkipsTheRest(KafkaHandle kafka, PostgresHandle postgres,
                                                                 TaskTracker tasks, EventCoordinator events,
                                                                 IsolationScope scope) throws Exception {
        FakeDownstream fake = new FakeDownstream().failing("charge");
        WorkflowCoordinator coordinator = scope.register("workflow coordinator", new WorkflowCoordinator(ExampleWiring
                .workflowCoordinator(kafka, postgres, tasks, events)
                .withDownstream(fake)).start(), WorkflowCoordinator::stop);

        WorkflowOutcome outcome = tasks.await(coordinator.submitWorkflow(ExampleWiring.FULFIL_ORDER).outcome(), Duration.ofSeconds(30));

        assertThat(outcome.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(outcome.taskStates()).containsExactly("reserve=SUCCEEDED", "charge=FAILED", "ship=SKIPPED");
        assertThat(outcome.tasks().get(1).detail()).contains("fake downstream fails task charge");
        assertThat(fake.calledTasks()).containsExactly("reserve", "charge");
        assertThat(postgres.queryForObject("select state from workflows where workflow_id = ?", String.class,
                outcome.workflowId())).isEqualTo("FAILED");
        assertThat(WorkflowOutcome.fromJson(kafka.records("workflow-completions").await(1, Duration.ofSeconds(30))
                .get(0).value()).state()).isEqualTo(WorkflowState.FAILED);
    }

    @Test
    void mockInAFieldReplacesTheDownstreamOfTheIsolatedCoordinator(WorkflowCoordinator coordinator,
                                                                   PostgresHandle postgres, TaskTracker tasks)
            throws Exception {
        when(downstream.execute(any(TaskRequest.class))).thenReturn("stubbed");

        WorkflowOutcome outcome = tasks.await(coordinator.submitWorkflow("ping", "echo").outcome(), Duration.ofSeconds(30));

        assertThat(outcome.tasks()).singleElement().satisfies(task -> assertThat(task.detail()).isEqualTo("stubbed"));
        verify(downstream, times(1)).execute(any(TaskRequest.class));
        assertThat(postgres.queryForObject("select count(*) from task_ledger", Long.class))
                .as("the real downstream was not called").isZero();
    }
}
