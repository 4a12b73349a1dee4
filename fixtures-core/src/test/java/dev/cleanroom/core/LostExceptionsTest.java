package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.engine;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.core.internal.RunLeakCheck;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Exceptions that would otherwise be lost: threads that die from them, failed executor tasks nobody read. */
class LostExceptionsTest {

    static final List<String> HANDLED_BY_USER = new CopyOnWriteArrayList<>();

    @AfterEach
    void releaseLeakedThreads() throws InterruptedException {
        Leakers.releaseAll();
        RunLeakCheck.drainSummary();
    }

    static Thread thrower(String name, String message) {
        return new Thread(() -> {
            throw new IllegalStateException(message);
        }, name);
    }

    // ---- threads that die from an uncaught exception ----

    @Cleanroom
    static class ThreadsThatThrow {
        @Test
        void untrackedThreadThrows() throws InterruptedException {
            Thread thread = thrower("untracked-thrower", "boom in an untracked thread");
            thread.start();
            thread.join(10_000);
        }

        @Test
        void trackedThreadThrows(TaskTracker tasks) throws InterruptedException {
            tasks.startThread("tracked-thrower", () -> {
                throw new IllegalArgumentException("boom in a tracked thread");
            }).join(10_000);
        }

        @Test
        void threadCatchesItsOwnException() throws InterruptedException {
            Thread thread = new Thread(() -> {
                try {
                    throw new IllegalStateException("caught");
                } catch (IllegalStateException expected) {
                    // handled: nothing lost
                }
            }, "careful");
            thread.start();
            thread.join(10_000);
        }
    }

    @Test
    void aThreadThatDiesFromAnExceptionFailsItsTestWithTheExceptionAndTheThreadsName() {
        EngineExecutionResults results = LeakDetectionTest.run(ThreadsThatThrow.class);
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("untrackedThreadThrows"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in ThreadsThatThrow.untrackedThreadThrows()")
                                && m.contains("UNCAUGHT_EXCEPTION: thread 'untracked-thrower' died from an uncaught "
                                + "exception (a thread created on its test's thread)")
                                && m.contains("failure: java.lang.IllegalStateException: boom in an untracked thread")
                                && m.contains("thrown at:") && m.contains("LostExceptionsTest.lambda$thrower")
                                // where the untracked thread was made: new Thread in thrower, called by the test
                                && m.contains("created at:") && !m.contains("created at: unknown")
                                && m.contains("LostExceptionsTest.thrower(")
                                && m.contains("ThreadsThatThrow.untrackedThreadThrows(")))))
                .haveExactly(1, event(test("trackedThreadThrows"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.contains("UNCAUGHT_EXCEPTION: thread 'tracked-thrower' died from an uncaught exception")
                                && m.contains("IllegalArgumentException: boom in a tracked thread")
                                && m.contains("created at:") && m.contains("ThreadsThatThrow.trackedThreadThrows")))))
                .haveExactly(1, event(test("threadCatchesItsOwnException"), finishedSuccessfully()));
        Throwable thrown = results.testEvents().failed().list().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith("untrackedThreadThrows"))
                .findFirst().orElseThrow().getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        assertThat(thrown.getSuppressed()).anySatisfy(s -> assertThat(s).hasMessage("boom in an untracked thread"));
    }

    @Test
    void theHandlerChainsToTheUsersAndIsRestoredAfterTheRun() {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.UncaughtExceptionHandler users = (t, e) -> HANDLED_BY_USER.add(t.getName() + ": " + e.getMessage());
        Thread.setDefaultUncaughtExceptionHandler(users);
        try {
            HANDLED_BY_USER.clear();
            LeakDetectionTest.run(ThreadsThatThrow.class).testEvents().assertStatistics(s -> s.failed(2));
            assertThat(HANDLED_BY_USER).containsExactlyInAnyOrder("untracked-thrower: boom in an untracked thread",
                    "tracked-thrower: boom in a tracked thread");
            assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(users);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void warnPrintsTheExceptionAndPasses() {
        String printed = StdErr.during(() -> LeakDetectionTest.run(ThreadsThatThrow.class, "cleanroom.leaks", "warn")
                .testEvents().assertStatistics(s -> s.failed(0)));
        assertThat(printed).contains("[cleanroom] WARNING (cleanroom.leaks=warn) 1 leak in ThreadsThatThrow.untrackedThreadThrows()")
                .contains("boom in an untracked thread");
    }

    // ---- an exception no test can be blamed for ----

    static volatile Thread unowned;

    @Cleanroom
    static class StartsAThreadMadeElsewhere {
        @Test
        void startsIt() throws InterruptedException {
            unowned.start(); // made outside the run: no test's thread created it, nobody tracks it
            unowned.join(10_000);
        }
    }

    @Test
    void underParallelExecutionAnExceptionNoTestOwnsFailsTheRun() {
        unowned = thrower("made-elsewhere", "nobody's exception");
        EngineExecutionResults results = LeakDetectionTest.run(StartsAThreadMadeElsewhere.class, LeakDetectionTest.PARALLEL);
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(engine(), finishedWithFailure(cause(
                instanceOf(LeakException.class), message(m -> m.startsWith("1 leak in the run")
                        && m.contains("UNCAUGHT_EXCEPTION: thread 'made-elsewhere' died from an uncaught exception (no "
                        + "test can be blamed: the thread is neither tracked nor created on a test's thread)")
                        && m.contains("nobody's exception"))))));
        assertThat(RunLeakCheck.drainSummary()).contains("'made-elsewhere'").contains("nobody's exception");
    }

    @Test
    void whenTestsRunOneAtATimeTheRunningTestIsBlamed() {
        unowned = thrower("made-elsewhere", "the running test's exception");
        LeakDetectionTest.run(StartsAThreadMadeElsewhere.class).testEvents().assertThatEvents().haveExactly(1,
                event(test("startsIt"), finishedWithFailure(instanceOf(LeakException.class), message(m -> m.contains(
                        "thread 'made-elsewhere' died from an uncaught exception while this test ran")))));
    }

    // ---- failed executor tasks nobody read ----

    @Cleanroom
    static class FailingTasks {
        @Test
        void submitsAndForgets(TaskTracker tasks) throws InterruptedException {
            ExecutorService pool = tasks.newFixedThreadPool("worker", 1);
            Future<?> forgotten = pool.submit(() -> {
                throw new IllegalStateException("submitted and forgotten");
            });
            Waits.until("the task to fail", forgotten::isDone);
        }

        @Test
        void executesAFailingTask(TaskTracker tasks) throws InterruptedException {
            ExecutorService pool = tasks.newSingleThreadExecutor("runner");
            pool.execute(() -> {
                throw new IllegalStateException("executed and lost");
            });
            Future<?> after = pool.submit(() -> { }); // the single thread runs tasks in order
            Waits.until("the failing task to have run", after::isDone);
        }

        @Test
        void schedulesAndForgets(TaskTracker tasks) throws InterruptedException {
            ScheduledExecutorService scheduler = tasks.newScheduledThreadPool("scheduler", 1);
            ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(() -> {
                throw new IllegalStateException("periodic task died");
            }, 0, 1, TimeUnit.MILLISECONDS);
            Waits.until("the periodic task to die", periodic::isDone);
        }

        @Test
        void submitsAndReads(TaskTracker tasks) {
            ExecutorService pool = tasks.newFixedThreadPool("reader", 1);
            Future<?> read = pool.submit(() -> {
                throw new IllegalStateException("seen");
            });
            Assertions.assertThrows(java.util.concurrent.ExecutionException.class, () -> read.get(10, TimeUnit.SECONDS));
        }

        @Test
        void leavesATaskRunningThatTeardownInterrupts(TaskTracker tasks) {
            tasks.newFixedThreadPool("sleeper", 1).submit(() -> {
                Thread.sleep(60_000); // interrupted at teardown: not the test's failure
                return null;
            });
        }
    }

    @Test
    void aFailedTaskNobodyReadFailsItsTestWithWhereItWasSubmitted() {
        LeakDetectionTest.run(FailingTasks.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("submitsAndForgets"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in FailingTasks.submitsAndForgets(TaskTracker)")
                                && m.contains("UNREAD_FAILURE: a task given to tracked executor 'worker' failed and "
                                + "nobody read its outcome (Future.get() would have)")
                                && m.contains("failure: java.lang.IllegalStateException: submitted and forgotten")
                                && m.contains("created at:") && m.contains("FailingTasks.submitsAndForgets(")))))
                .haveExactly(1, event(test("executesAFailingTask"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak") && m.contains("tracked executor 'runner'")
                                && m.contains("given to execute(), whose failures nobody can read")
                                && m.contains("executed and lost") && m.contains("FailingTasks.executesAFailingTask(")))))
                .haveExactly(1, event(test("schedulesAndForgets"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak") && m.contains("tracked executor 'scheduler'")
                                && m.contains("periodic task died") && m.contains("FailingTasks.schedulesAndForgets(")))))
                .haveExactly(1, event(test("submitsAndReads"), finishedSuccessfully()))
                .haveExactly(1, event(test("leavesATaskRunningThatTeardownInterrupts"), finishedSuccessfully()));
    }
}
