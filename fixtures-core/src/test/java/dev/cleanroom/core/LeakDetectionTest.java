package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.engine;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.core.internal.RunLeakCheck;
import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Leaks at every lifecycle point, unread failed futures, stubborn tasks and the quarantine. */
class LeakDetectionTest {

    static final String[] FAST = {"cleanroom.leaks.linger", "50ms", "cleanroom.tasks.deadline", "200ms"};
    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    static EngineExecutionResults run(Class<?> fixture, String... more) {
        String[] all = new String[FAST.length + more.length];
        System.arraycopy(FAST, 0, all, 0, FAST.length);
        System.arraycopy(more, 0, all, FAST.length, more.length);
        return EngineKit.run(fixture, all);
    }

    @BeforeEach
    void clear() {
        JOURNAL.clear();
        RunLeakCheck.drainSummary(); // forget what earlier runs left for the summary
    }

    @AfterEach
    void releaseLeakedThreads() throws InterruptedException {
        Leakers.releaseAll();
    }

    // ---- a leaked thread at each lifecycle point ----

    @Cleanroom
    static class LeakInTest {
        @Test
        void leaks() {
            Leakers.leak("orphan-in-test");
        }
    }

    @Cleanroom
    static class LeakInBeforeEach {
        @BeforeEach
        void setUp() {
            Leakers.leak("orphan-in-before-each");
        }

        @Test
        void test() {
        }
    }

    @Cleanroom
    static class LeakInAfterEach {
        @Test
        void test() {
        }

        @AfterEach
        void tearDown() {
            Leakers.leak("orphan-in-after-each");
        }
    }

    @Cleanroom
    static class LeakInBeforeAll {
        @BeforeAll
        static void setUp() {
            Leakers.leak("orphan-in-before-all");
        }

        @Test
        void test() {
        }
    }

    @Cleanroom
    static class LeakInAfterAll {
        @Test
        void test() {
        }

        @AfterAll
        static void tearDown() {
            Leakers.leak("orphan-in-after-all");
        }
    }

    @Test
    void aThreadLeakedInTheTestFailsItWithNameAndStack() {
        run(LeakInTest.class).testEvents().assertThatEvents().haveExactly(1, event(test("leaks"),
                finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in LeakInTest.leaks()")
                                && m.contains("THREAD: thread 'orphan-in-test' (WAITING, daemon) was started during the test")
                                && m.contains("thread stack:")
                                && m.contains("java.util.concurrent.CountDownLatch.await(") && m.contains("Leakers.lambda$leak")
                                && m.matches("(?s).*created at:\\s+at \\S*Leakers\\.leak\\(Leakers\\.java:\\d+\\)"
                                + "\\s+at \\S*LeakInTest\\.leaks\\(LeakDetectionTest\\.java:\\d+\\).*")
                                && m.contains("cleanroom.leaks.ignore-threads")))));
    }

    @Test
    void aThreadLeakedInBeforeEachFailsThatTest() {
        run(LeakInBeforeEach.class).testEvents().assertThatEvents().haveExactly(1, event(test("test"),
                finishedWithFailure(instanceOf(LeakException.class), message(m -> m.contains("'orphan-in-before-each'")))));
    }

    @Test
    void aThreadLeakedInAfterEachFailsThatTest() {
        run(LeakInAfterEach.class).testEvents().assertThatEvents().haveExactly(1, event(test("test"),
                finishedWithFailure(instanceOf(LeakException.class), message(m -> m.contains("'orphan-in-after-each'")))));
    }

    @Test
    void aThreadLeakedInBeforeAllFailsTheClassNotTheTest() {
        EngineExecutionResults results = run(LeakInBeforeAll.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(LeakInBeforeAll.class),
                finishedWithFailure(instanceOf(LeakException.class), message(m -> m.contains("'orphan-in-before-all'")
                        && m.contains("class level")))));
    }

    @Test
    void aThreadLeakedInAfterAllFailsTheClass() {
        EngineExecutionResults results = run(LeakInAfterAll.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(LeakInAfterAll.class),
                finishedWithFailure(instanceOf(LeakException.class), message(m -> m.contains("'orphan-in-after-all'")))));
    }

    // ---- policy and filters ----

    @Test
    void warnPrintsAndPasses() {
        String printed = StdErr.during(() -> run(LeakInTest.class, "cleanroom.leaks", "warn")
                .testEvents().assertStatistics(s -> s.succeeded(1).failed(0)));
        assertThat(printed).contains("[cleanroom] WARNING (cleanroom.leaks=warn) 1 leak in LeakInTest.leaks():")
                .contains("THREAD: thread 'orphan-in-test' (WAITING, daemon) was started during the test")
                .contains("Leakers.lambda$leak");
    }

    @Test
    void offLooksForNothing() {
        run(LeakInTest.class, "cleanroom.leaks", "off").testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void usersCanIgnoreThreadsBySetting() {
        run(LeakInTest.class, "cleanroom.leaks.ignore-threads", "other-.*|orphan-in-.*")
                .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Cleanroom
    @IgnoreLeakedThreads("orphan-.*")
    static class IgnoredByAnnotation {
        @Test
        void leaks() {
            Leakers.leak("orphan-ignored");
        }
    }

    @Test
    void usersCanIgnoreThreadsByAnnotation() {
        run(IgnoredByAnnotation.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    /** Threads named like the clients and pools Cleanroom makes: only its long-lived ones are ignored. */
    @Cleanroom
    static class NamedLikeCleanroomsClients {
        @Test
        void leaks() {
            String ours = "cr" + RunId.current() + "_";
            Leakers.leak("kafka-admin-client-thread | " + ours + "admin"); // the shared server's admin
            Leakers.leak("kafka-coordinator-heartbeat-thread | " + ours + "lease"); // the run's lease
            Leakers.leak("cleanroom-" + ours + "p1:housekeeper"); // a schema's pool
            Leakers.leak("kafka-producer-network-thread | " + ours + "t7_producer-1"); // a test's: closed before the check
            Leakers.leak("kafka-admin-client-thread | crsomeonelse_admin"); // not this run's
            Leakers.leak("HikariPool-42:housekeeper");
        }
    }

    @Test
    void onlyCleanroomsOwnLongLivedClientsAreIgnoredAndTheRestIsNamed() {
        run(NamedLikeCleanroomsClients.class).testEvents().assertThatEvents().haveExactly(1, event(test("leaks"),
                finishedWithFailure(instanceOf(LeakException.class), message(m -> m.startsWith("3 leaks in ")
                        && m.contains("_t7_producer-1' (WAITING, daemon) was started during the test and is still alive "
                        + "after teardown: a Kafka producer thread, client.id=cr")
                        && m.contains("thread 'kafka-admin-client-thread | crsomeonelse_admin'")
                        && m.contains("a Kafka admin client thread, client.id=crsomeonelse_admin: close the Admin")
                        && m.contains("a HikariCP pool 'HikariPool-42': close the DataSource")))));
    }

    @Cleanroom
    static class StoppedInTime {
        @Test
        void startsAndStops() throws InterruptedException {
            Thread t = new Thread(() -> { }, "short-lived");
            t.start();
            t.join();
        }
    }

    @Test
    void aThreadThatEndedIsNoLeak() {
        run(StoppedInTime.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    // ---- the tracker stops its work ----

    static final List<Thread> WORKERS = new CopyOnWriteArrayList<>();

    @Cleanroom
    static class TrackedWork {
        @Test
        void leavesWorkRunning(TaskTracker tasks) throws Exception {
            ScheduledExecutorService poller = tasks.newScheduledThreadPool("poller", 1);
            poller.scheduleAtFixedRate(() -> WORKERS.add(Thread.currentThread()), 0, 5, TimeUnit.MILLISECONDS);
            ExecutorService pool = tasks.newFixedThreadPool("worker", 2);
            pool.submit(() -> {
                WORKERS.add(Thread.currentThread());
                Thread.sleep(60_000); // honours interruption: stopped by shutdownNow
                return null;
            });
            WORKERS.add(tasks.startThread("sleeper", () -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    JOURNAL.add("sleeper interrupted");
                }
            }));
            CompletableFuture<String> pending = tasks.supplyAsync(() -> {
                WORKERS.add(Thread.currentThread());
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    JOURNAL.add("async interrupted");
                }
                return "late";
            });
            pending.whenComplete((v, e) -> JOURNAL.add("future " + (pending.isCancelled() ? "cancelled" : "done")));
            Waits.until("every kind of worker to start", () -> java.util.stream.Stream.of("poller-", "worker-",
                    "sleeper", "async-").allMatch(prefix -> WORKERS.stream().anyMatch(t -> t.getName().startsWith(prefix))));
        }
    }

    @Test
    void theTrackerStopsExecutorsThreadsAndFuturesAtTeardown() {
        WORKERS.clear();
        // the fixture leaves its future pending on purpose: that it is never awaited is UnawaitedWorkTest's subject
        run(TrackedWork.class, "cleanroom.leaks.unawaited", "off").testEvents()
                .assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(WORKERS).isNotEmpty().allSatisfy(t -> assertThat(t.isAlive()).as(t.getName()).isFalse());
        assertThat(JOURNAL).contains("future cancelled", "sleeper interrupted", "async interrupted");
        // cancel comes first
        assertThat(JOURNAL.get(0)).isEqualTo("future cancelled");
    }

    // ---- the teardown order ----

    @Cleanroom
    static class Order6 {
        @Test
        void journals(TaskTracker tasks) {
            ExecutorService journaling = tasks.track(new JournalingExecutor(JOURNAL));
            journaling.execute(() -> { });
            CompletableFuture<Void> never = tasks.track(new CompletableFuture<Void>());
            never.whenComplete((v, e) -> JOURNAL.add("cancel"));
            Thread thread = tasks.startThread("waiter", () -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    JOURNAL.add("interrupt");
                }
            });
            tasks.track(thread);
        }
    }

    @Test
    void teardownCancelsShutsDownAwaitsShutsDownNowInterruptsAndJoins() {
        run(Order6.class, "cleanroom.leaks.unawaited", "off").testEvents()
                .assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(JOURNAL).containsExactly("cancel", "shutdown", "awaitTermination", "shutdownNow", "interrupt",
                "awaitTermination");
    }

    // ---- unread failed futures ----

    @Cleanroom
    static class UnreadFailure {
        @Test
        void forgetsTheFuture(TaskTracker tasks) throws InterruptedException {
            CompletableFuture<String> f = tasks.supplyAsync(() -> {
                throw new IllegalStateException("lost exception");
            });
            Waits.until("the future to fail", f::isDone); // isDone does not read the outcome
        }

        @Test
        void forgetsATrackedForeignFuture(TaskTracker tasks) {
            CompletableFuture<String> foreign = new CompletableFuture<>();
            CompletableFuture<String> tracked = tasks.track(foreign);
            foreign.completeExceptionally(new IllegalStateException("foreign failure"));
            org.junit.jupiter.api.Assertions.assertTrue(tracked.isDone());
        }

        @Test
        void readsTheFuture(TaskTracker tasks) {
            CompletableFuture<String> f = tasks.supplyAsync(() -> {
                throw new IllegalStateException("seen exception");
            });
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class, f::join);
        }

        @Test
        void chainsAndForgetsTheEnd(TaskTracker tasks) throws InterruptedException {
            CompletableFuture<Integer> end = tasks.supplyAsync(() -> "x")
                    .thenApply(s -> Integer.parseInt(s)); // NumberFormatException nobody reads
            Waits.until("the chain to fail", end::isDone);
        }

        @Test
        void handlesWithWhenComplete(TaskTracker tasks) throws InterruptedException {
            CompletableFuture<Void> done = new CompletableFuture<>();
            tasks.runAsync(() -> {
                throw new IllegalStateException("handled");
            }).whenComplete((v, e) -> done.complete(null));
            done.join();
        }
    }

    @Test
    void anUnreadFailedFutureIsReportedWithItsException() {
        EngineExecutionResults results = run(UnreadFailure.class);
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("forgetsTheFuture"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.contains("UNREAD_FAILURE: a tracked future completed exceptionally")
                                && m.contains("failure: java.lang.IllegalStateException: lost exception")
                                && m.contains("created at:") && m.contains("UnreadFailure.forgetsTheFuture")))))
                .haveExactly(1, event(test("readsTheFuture"), finishedSuccessfully()))
                .haveExactly(1, event(test("forgetsATrackedForeignFuture"), finishedWithFailure(
                        instanceOf(LeakException.class), message(m -> m.contains("foreign failure")
                                && m.contains("UnreadFailure.forgetsATrackedForeignFuture")))))
                .haveExactly(1, event(test("chainsAndForgetsTheEnd"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak") && m.contains("NumberFormatException")))))
                .haveExactly(1, event(test("handlesWithWhenComplete"), finishedSuccessfully()));
        Throwable thrown = results.testEvents().failed().list().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith("forgetsTheFuture(")).findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(thrown.getSuppressed()).anySatisfy(s -> assertThat(s).hasMessage("lost exception"));
    }

    // ---- a task that ignores interruption, and the quarantine ----

    @Cleanroom
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Stubborn {
        @Test
        @Order(1)
        void startsATaskThatIgnoresInterruption(TaskTracker tasks) {
            Leakers.track(tasks.startThread("stubborn", Leakers.stubborn()));
        }

        @Test
        @Order(2)
        void runsLater() {
        }
    }

    @Test
    void aTaskThatIgnoresInterruptionIsReportedAndQuarantinesLaterTests() {
        EngineExecutionResults results = run(Stubborn.class);
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("startsATaskThatIgnoresInterruption"), finishedWithFailure(
                        instanceOf(LeakException.class), message(m -> m.contains("TASK: thread 'stubborn'")
                                && m.contains("survived interruption") && m.contains("quarantined")
                                && m.contains("created at:") && m.contains("Stubborn.startsATaskThatIgnoresInterruption")))))
                .haveExactly(1, event(test("runsLater"), finishedWithFailure(instanceOf(IllegalStateException.class),
                        message(m -> m.startsWith("Quarantined: thread 'stubborn' of Stubborn.startsATaskThatIgnoresInterruption(TaskTracker)")
                                && m.contains("cleanroom.leaks=fail")))));
    }

    @Test
    void underWarnTheQuarantineSkipsLaterTests() {
        EngineExecutionResults results = run(Stubborn.class, "cleanroom.leaks", "warn");
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("startsATaskThatIgnoresInterruption"), finishedSuccessfully()))
                .haveExactly(1, event(test("runsLater"), abortedWithReason(message(m -> m.startsWith("Quarantined")))));
    }

    @Test
    void theQuarantineIsPerRunAndLiftedWhenTheThreadEnds() throws InterruptedException {
        run(Stubborn.class);
        Leakers.releaseAll();
        run(StoppedInTime.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    /** Ends the stubborn thread just before the third test, after the second was quarantined. */
    static final class ReleaseBeforeThird implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) throws Exception {
            if (context.getRequiredTestMethod().getName().equals("runsAfterTheThreadEnded")) {
                Leakers.releaseAll();
            }
        }
    }

    @ExtendWith(ReleaseBeforeThird.class) // before @Cleanroom: its check sees the thread gone
    @Cleanroom
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class StubbornThenReleased {
        @Test
        @Order(1)
        void startsATaskThatIgnoresInterruption(TaskTracker tasks) {
            Leakers.track(tasks.startThread("stubborn", Leakers.stubborn()));
        }

        @Test
        @Order(2)
        void isQuarantined() {
        }

        @Test
        @Order(3)
        void runsAfterTheThreadEnded() {
        }
    }

    @Test
    void theQuarantineIsLiftedWithinTheRunWhenTheThreadEnds() {
        run(StubbornThenReleased.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("isQuarantined"), finishedWithFailure(message(m -> m.startsWith("Quarantined")))))
                .haveExactly(1, event(test("runsAfterTheThreadEnded"), finishedSuccessfully()));
    }

    // ---- parallel execution ----

    @Cleanroom
    static class ParallelLeaks {
        @Test
        void leaksAThread() {
            Leakers.leak("orphan-parallel");
        }

        @Test
        void forgetsAFailedFuture(TaskTracker tasks) throws InterruptedException {
            CompletableFuture<Void> f = tasks.runAsync(() -> {
                throw new IllegalStateException("parallel lost");
            });
            Waits.until("the future to fail", f::isDone); // isDone does not read the outcome
        }
    }

    static final String[] PARALLEL = {"junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent"};

    @Test
    void underParallelExecutionTrackedWorkFailsItsTestAndUntrackedThreadsFailTheRun() {
        EngineExecutionResults results = run(ParallelLeaks.class, PARALLEL);
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("leaksAThread"), finishedSuccessfully()))
                .haveExactly(1, event(test("forgetsAFailedFuture"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.contains("parallel lost")))));
        results.containerEvents().assertThatEvents().haveExactly(1, event(engine(), finishedWithFailure(cause(
                instanceOf(LeakException.class), message(m -> m.startsWith("1 leak in the run (work that no test can be blamed for):")
                        && m.contains("THREAD: thread 'orphan-parallel' (WAITING, daemon) was started during the run "
                        + "and is still alive at its end; no test owns it")
                        && m.contains("Leakers.lambda$leak")
                        // the journal of threads made says which test made it, and where
                        && m.contains("no test owns it (created at: where ParallelLeaks.leaksAThread() made a plain "
                        + "thread like it)")
                        && m.matches("(?s).*created at:\\s+at \\S*Leakers\\.leak\\(Leakers\\.java:\\d+\\).*"))))));
        assertThat(RunLeakCheck.drainSummary()).contains("[cleanroom] run end: 1 leak that no test could be blamed for:")
                .contains("'orphan-parallel'");
    }

    @Test
    void underParallelExecutionWarnListsUntrackedThreadsAndPasses() {
        String printed = StdErr.during(() -> run(ParallelLeaks.class, append(PARALLEL, "cleanroom.leaks", "warn"))
                .allEvents().assertStatistics(s -> s.failed(0)));
        assertThat(printed).contains("1 leak in the run (work that no test can be blamed for)").contains("'orphan-parallel'");
        assertThat(RunLeakCheck.drainSummary()).contains("'orphan-parallel'");
    }

    @IgnoreLeakedThreads("orphan-parallel")
    static class ParallelLeaksIgnored extends ParallelLeaks {
    }

    @Test
    void anIgnoredThreadIsNotListedAtTheEndOfTheRun() {
        run(ParallelLeaksIgnored.class, PARALLEL).containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(RunLeakCheck.drainSummary()).isNull();
    }

    static String[] append(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
