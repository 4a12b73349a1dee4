package dev.cleanroom.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.CircuitBreakers;
import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.core.resilience4j.Resilience4jBreakers;
import dev.cleanroom.examples.support.FakeDownstream;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.examples.workflow.WorkflowOutcome;
import dev.cleanroom.examples.workflow.WorkflowState;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Pattern: a circuit breaker opened by one test is closed for the next. The registry is
 * shared by the tests of this class, as a breaker held by a singleton is in production
 * code; registering it once in {@code @BeforeAll} makes every test start with its breakers
 * CLOSED. The tests run in order, one after the other, so that the second one really
 * follows the first.
 */
@IsolatedKafka
@IsolatedPostgres(migrations = "db/migration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.SAME_THREAD)
class CircuitBreakerClosedForNextTestTest {

    // tag::breakers[]
    static final CircuitBreakerRegistry SHARED_BREAKERS = CircuitBreakerRegistry.of(ExampleWiring.BREAKER);
    private static final AtomicBoolean OPENED_BY_FIRST_TEST = new AtomicBoolean();

    @BeforeAll
    static void closeSharedBreakersBeforeEveryTest(CircuitBreakers breakers) {
        breakers.register(Resilience4jBreakers.of(SHARED_BREAKERS));
    }
    // end::breakers[]

    @Test
    @Order(1)
    void failingDownstreamOpensTheBreaker(KafkaHandle kafka, PostgresHandle postgres, TaskTracker tasks,
                                          EventCoordinator events, IsolationScope scope) throws Exception {
        WorkflowCoordinator coordinator = start(scope, kafka, postgres, tasks, events,
                new FakeDownstream().failing("charge"));

        WorkflowOutcome first = tasks.await(coordinator.submitWorkflow(ExampleWiring.FULFIL_ORDER).outcome(), Duration.ofSeconds(30));
        WorkflowOutcome second = tasks.await(coordinator.submitWorkflow(ExampleWiring.FULFIL_ORDER).outcome(), Duration.ofSeconds(30));

        assertThat(first.taskStates()).containsExactly("reserve=SUCCEEDED", "charge=FAILED", "ship=SKIPPED");
        assertThat(SHARED_BREAKERS.circuitBreaker("payments").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(second.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(second.tasks().get(0).detail()).isEqualTo("circuit breaker 'payments' is OPEN: downstream not called");
        OPENED_BY_FIRST_TEST.set(true);
    }

    @Test
    @Order(2)
    void nextTestFindsItClosed(KafkaHandle kafka, PostgresHandle postgres, TaskTracker tasks, EventCoordinator events,
                               IsolationScope scope, CircuitBreakers breakers) throws Exception {
        assertThat(OPENED_BY_FIRST_TEST).as("the first test opened the breaker").isTrue();
        breakers.assertAllClosed();
        FakeDownstream downstream = new FakeDownstream();
        WorkflowCoordinator coordinator = start(scope, kafka, postgres, tasks, events, downstream);

        WorkflowOutcome outcome = tasks.await(coordinator.submitWorkflow(ExampleWiring.FULFIL_ORDER).outcome(), Duration.ofSeconds(30));

        assertThat(outcome.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(downstream.calledTasks()).containsExactly("reserve", "charge", "ship");
    }

    private static WorkflowCoordinator start(IsolationScope scope, KafkaHandle kafka, PostgresHandle postgres,
                                             TaskTracker tasks, EventCoordinator events, FakeDownstream downstream) {
        WorkflowCoordinator coordinator = new WorkflowCoordinator(ExampleWiring
                .workflowCoordinator(kafka, postgres, tasks, events)
                .withDownstream(downstream)
                .withCircuitBreaker(SHARED_BREAKERS.circuitBreaker("payments")));
        return scope.register("workflow coordinator", coordinator.start(), WorkflowCoordinator::stop);
    }
}
