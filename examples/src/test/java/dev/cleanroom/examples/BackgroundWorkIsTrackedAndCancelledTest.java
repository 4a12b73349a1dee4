package dev.cleanroom.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.core.CloserFailedException;
import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.LeakException;
import dev.cleanroom.core.ScopeTeardownException;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.examples.support.FakeDownstream;
import dev.cleanroom.examples.workflow.Workflow;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.examples.workflow.WorkflowOutcome;
import dev.cleanroom.examples.workflow.WorkflowState;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Pattern: background work is tracked and cancelled. Threads and executors made through the
 * {@link TaskTracker} are stopped when their scope closes, whatever the test did; a failure
 * in background work that nobody looked at is reported instead of vanishing. Each test runs
 * the work in a scope of its own so that it can look at what the teardown did.
 *
 * <p>A plain-code tracker compares every thread of the JVM before and after, so this class
 * runs {@link Isolated @Isolated}: alone, with no other test's threads coming and going.
 */
@Isolated
@IsolatedKafka
@IsolatedPostgres(migrations = "db/migration")
class BackgroundWorkIsTrackedAndCancelledTest {

    @Test
    void workflowStillRunningWhenItsScopeClosesIsCancelledAndRecordedSo(KafkaHandle kafka, PostgresHandle postgres)
            throws Exception {
        FakeDownstream downstream = new FakeDownstream().holding("charge"); // charge never finishes by itself
        Workflow workflow;
        TaskTracker tasks;
        try (IsolationScope scope = IsolationScope.open("coordinator-run")) {
            tasks = TaskTracker.in(scope);
            WorkflowCoordinator coordinator = new WorkflowCoordinator(ExampleWiring
                    .workflowCoordinator(kafka, postgres, tasks, EventCoordinator.in(scope))
                    .withDownstream(downstream));
            scope.register("workflow coordinator", coordinator.start(), WorkflowCoordinator::stop);

            workflow = coordinator.submitWorkflow(ExampleWiring.FULFIL_ORDER);
            assertThat(downstream.awaitReached("charge", Duration.ofSeconds(30))).isTrue();
        } // the test does not stop anything itself

        WorkflowOutcome outcome = workflow.outcome().get(30, TimeUnit.SECONDS);
        assertThat(outcome.state()).isEqualTo(WorkflowState.CANCELLED);
        assertThat(outcome.taskStates()).containsExactly("reserve=SUCCEEDED", "charge=FAILED", "ship=SKIPPED");
        assertThat(postgres.queryForObject("select state from workflows where workflow_id = ?", String.class,
                workflow.id())).isEqualTo("CANCELLED");
        assertThat(tasks.survivors()).isEmpty();
        assertThat(tasks.leaks()).isEmpty();
    }

    // tag::tracker[]
    @Test
    void pollerStartedInTheBackgroundNeedsNoCleanupCode() throws Exception {
        ScheduledExecutorService poller;
        AtomicInteger polls = new AtomicInteger();
        try (IsolationScope scope = IsolationScope.open("poller")) {
            poller = TaskTracker.in(scope).newScheduledThreadPool("poller", 1);
            poller.scheduleAtFixedRate(polls::incrementAndGet, 0, 5, TimeUnit.MILLISECONDS);
            EventCoordinator events = EventCoordinator.in(scope);
            poller.schedule(() -> events.signal("polled a while"), 50, TimeUnit.MILLISECONDS);
            events.await("polled a while", 1, Duration.ofSeconds(10));
        }

        assertThat(polls.get()).isPositive();
        assertThat(poller.isTerminated()).isTrue();
    }
    // end::tracker[]

    // tag::unread-failure[]
    @Test
    void failedBackgroundFutureThatNobodyReadIsReportedAtTeardown() {
        IsolationScope scope = IsolationScope.open("forgotten-future");
        CompletableFuture<String> forgotten = TaskTracker.in(scope).supplyAsync(() -> {
            throw new IllegalStateException("charge failed in the background");
        });
        // the test never reads its outcome (isDone does not count as reading it)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!forgotten.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(forgotten.isDone()).as("the background task failed within 10 s").isTrue();

        Throwable teardown = catchThrowable(scope::close);

        assertThat(teardown).isInstanceOf(ScopeTeardownException.class);
        assertThat(teardown.getSuppressed()).singleElement().satisfies(failure -> assertThat(failure)
                .isInstanceOf(CloserFailedException.class)
                .hasCauseInstanceOf(LeakException.class)
                .hasMessageContaining("UNREAD_FAILURE")
                .hasMessageContaining("charge failed in the background"));
    }
    // end::unread-failure[]
}
