package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A leaked thread the test made without a tracker is reported with where the test's code
 * made it: directly, through a library's own thread (a pool's worker making the next
 * worker), in a plain-code scope the test opened, or, when such threads were made at
 * several places, each of those places.
 */
class ThreadOriginsTest {

    static final List<ExecutorService> POOLS = new CopyOnWriteArrayList<>();

    @AfterEach
    void release() throws InterruptedException {
        for (ExecutorService pool : POOLS) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).as("leaked pool stopped").isTrue();
        }
        POOLS.clear();
        Leakers.releaseAll();
    }

    @Cleanroom
    static class Leaky {
        @Test
        void leavesAThread() {
            Leakers.leak("made-by-a-helper");
        }

        @Test
        void leavesASchedulerWhoseWorkerMadeTheNextOne() throws InterruptedException {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2); // the JDK's thread factory
            POOLS.add(scheduler);
            AtomicInteger runs = new AtomicInteger();
            scheduler.scheduleAtFixedRate(runs::incrementAndGet, 0, 1, TimeUnit.MILLISECONDS);
            // after its first run, the periodic task is queued again by the first worker, which adds the second
            Waits.until("the scheduler's second worker", () -> scheduler.getPoolSize() == 2 && runs.get() > 1);
        }

        @Test
        void leavesAThreadInAPlainScope() throws Throwable {
            IsolationScope scope = IsolationScope.open("plain_block");
            TaskTracker.in(scope);
            Leakers.leak("left-in-a-plain-scope");
            ScopeTeardownException failed = assertThrows(ScopeTeardownException.class, scope::close);
            throw failed.getSuppressed()[0].getCause(); // the scope's LeakException
        }

        @Test
        void madeSuchThreadsAtTwoPlaces() throws InterruptedException {
            Thread ended = new Thread(() -> { }, "ends-at-once");
            ended.start();
            ended.join(5_000);
            assertThat(ended.isAlive()).isFalse();
            Leakers.leak("made-at-the-second-place");
        }
    }

    @Test
    void anUntrackedThreadIsReportedWhereTheTestMadeIt() {
        EngineKit.run(Leaky.class, "cleanroom.leaks.linger", "50ms").testEvents().assertThatEvents()
                .haveExactly(1, event(test("leavesAThread"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in Leaky.leavesAThread()")
                                && m.contains("THREAD: thread 'made-by-a-helper'")
                                && m.contains("(created at: where this test made a plain thread like it)")
                                && !m.contains("created at: unknown")
                                && m.matches("(?s).*created at:\\s+at \\S*dev\\.cleanroom\\.core\\.Leakers\\.leak\\(Leakers\\.java:\\d+\\)"
                                + "\\s+at \\S*ThreadOriginsTest\\$Leaky\\.leavesAThread\\(ThreadOriginsTest\\.java:\\d+\\).*")))))
                // both workers: the second was made on the first, by the JDK only, so it has the first's origin
                .haveExactly(1, event(test("leavesASchedulerWhoseWorkerMadeTheNextOne"),
                        finishedWithFailure(instanceOf(LeakException.class), message(m ->
                                m.startsWith("2 leaks in Leaky.leavesASchedulerWhoseWorkerMadeTheNextOne()")
                                && !m.contains("created at: unknown")
                                && m.split("created at:\\s+at \\S*ScheduledThreadPoolExecutor\\.scheduleAtFixedRate\\("
                                + "[^)]*\\)\\s+at \\S*ThreadOriginsTest\\$Leaky\\.leavesASchedulerWhoseWorkerMadeTheNextOne\\(",
                                -1).length == 3))))
                // a plain-code scope opened in a test looks up the test's journal
                .haveExactly(1, event(test("leavesAThreadInAPlainScope"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in plain_block")
                                && m.contains("THREAD: thread 'left-in-a-plain-scope'")
                                && m.matches("(?s).*created at:\\s+at \\S*Leakers\\.leak\\(Leakers\\.java:\\d+\\)\\s+"
                                + "at \\S*ThreadOriginsTest\\$Leaky\\.leavesAThreadInAPlainScope\\(.*")))))
                .haveExactly(1, event(test("madeSuchThreadsAtTwoPlaces"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in Leaky.madeSuchThreadsAtTwoPlaces()")
                                && m.contains("THREAD: thread 'made-at-the-second-place'")
                                && m.contains("(made at one of the 2 places where such threads were made, listed "
                                + "under 'created at')")
                                && m.matches("(?s).*created at:\\s+at \\S*ThreadOriginsTest\\$Leaky\\.madeSuchThreadsAtTwoPlaces"
                                + "\\(ThreadOriginsTest\\.java:\\d+\\)\\s+at \\S*Leakers\\.leak\\(Leakers\\.java:\\d+\\).*")))));
    }
}
