package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Work never awaited: a test method that returns its future (JUnit does not run it), a
 * tracked future still pending when its test ends, and work handed to an executor instead of
 * the common pool.
 */
class UnawaitedWorkTest {

    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void reset() {
        JOURNAL.clear();
        release = new CountDownLatch(1);
    }

    @AfterEach
    void releaseWork() {
        release.countDown();
    }

    static String waitForRelease() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "released";
    }

    // ---- a @Test method that returns a value ----

    @Cleanroom
    static class ReturnsItsFuture {
        @Test
        CompletableFuture<Void> sendsInBackground() {
            JOURNAL.add("ran");
            return CompletableFuture.failedFuture(new AssertionError("would have failed"));
        }

        @Test
        void ordinary() {
            JOURNAL.add("ordinary ran");
        }
    }

    @Test
    void aTestMethodReturningAFutureFailsItsClassWithWhatToDo() {
        EngineExecutionResults results = LeakDetectionTest.run(ReturnsItsFuture.class);

        assertThat(JOURNAL).containsExactly("ordinary ran");
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(ReturnsItsFuture.class),
                finishedWithFailure(message(m -> m.contains("ReturnsItsFuture.sendsInBackground() returns "
                        + "CompletableFuture") && m.contains("JUnit never ran it")
                        && m.contains("Make it return void and wait for its work inside the test")))));
    }

    // ---- a tracked future pending when its test ends ----

    @Cleanroom
    static class ForgetsItsWork {
        @Test
        void startsAndNeverWaits(TaskTracker tasks) {
            tasks.supplyAsync(UnawaitedWorkTest::waitForRelease).thenApply(String::length); // one chain, one report
        }

        @Test
        void startsAndWaits(TaskTracker tasks) throws Exception {
            CompletableFuture<String> done = tasks.supplyAsync(() -> "done");
            assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        }
    }

    @Test
    void aTrackedFuturePendingWhenItsTestEndsIsReportedAsNeverAwaited() {
        EngineExecutionResults results = LeakDetectionTest.run(ForgetsItsWork.class);

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("startsAndNeverWaits"),
                finishedWithFailure(instanceOf(LeakException.class), message(m -> m.startsWith("1 leak in ")
                        && m.contains("NEVER_AWAITED: a tracked future was started and never awaited")
                        && m.contains("cleanroom.leaks.unawaited=warn")
                        && m.contains("ForgetsItsWork.startsAndNeverWaits")))));
    }

    @Test
    void withUnawaitedWarnTheTestPassesAndTheReportIsPrinted() {
        String printed = StdErr.during(() -> LeakDetectionTest.run(ForgetsItsWork.class,
                "cleanroom.leaks.unawaited", "warn").testEvents().assertStatistics(s -> s.succeeded(2).failed(0)));

        assertThat(printed).contains("WARNING (cleanroom.leaks.unawaited=warn) 1 leak in")
                .contains("NEVER_AWAITED");
    }

    // ---- the tracker's executor instead of the common pool ----

    /** Code under test that runs its work on an executor it is given (by default, the common pool). */
    static final class Sender {
        private final Executor executor;

        Sender(Executor executor) {
            this.executor = executor;
        }

        CompletableFuture<String> sendAsync(String order) {
            return CompletableFuture.supplyAsync(() -> {
                JOURNAL.add("sent on " + Thread.currentThread().getName());
                throw new IllegalStateException("broker refused " + order);
            }, executor);
        }

        void fireAndForget(String order) {
            executor.execute(() -> {
                JOURNAL.add("audit on " + Thread.currentThread().getName());
                throw new IllegalStateException("lost audit of " + order);
            });
        }
    }

    @Cleanroom
    static class HandsOutTheTrackersExecutor {
        @Test
        void sendsAndForgets(TaskTracker tasks) throws InterruptedException {
            // tag::executor[]
            Sender sender = new Sender(tasks.executor());
            CompletableFuture<String> receipt = tasks.track(sender.sendAsync("o-1"));
            // end::executor[]
            sender.fireAndForget("o-2");
            Waits.until("the send to fail", receipt::isDone); // isDone does not read the outcome
            Waits.until("the audit to run", () -> JOURNAL.stream().anyMatch(e -> e.startsWith("audit")));
        }
    }

    @Test
    void workOnTheTrackersExecutorRunsOnTheTestsThreadsAndItsLostFailuresAreReported() {
        EngineExecutionResults results = LeakDetectionTest.run(HandsOutTheTrackersExecutor.class);

        assertThat(JOURNAL).hasSize(2).allSatisfy(e -> assertThat(e).matches("(sent|audit) on async-\\d+"));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("sendsAndForgets"),
                finishedWithFailure(instanceOf(LeakException.class), message(m -> m.startsWith("2 leaks in ")
                        && m.contains("UNREAD_FAILURE: a tracked future completed exceptionally and nobody read")
                        && m.contains("broker refused o-1")
                        && m.contains("UNREAD_FAILURE: a task given to tracked executor 'async' failed")
                        && m.contains("lost audit of o-2")))));
    }
}
