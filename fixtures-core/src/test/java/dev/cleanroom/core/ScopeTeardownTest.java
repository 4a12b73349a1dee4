package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.suppressed;

import dev.cleanroom.testkit.EngineKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The per-test and per-class scopes: order, deadlines, failures beside failures. */
class ScopeTeardownTest {

    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch STUBBORN_ENDED = new CountDownLatch(1);

    @BeforeEach
    void clearJournal() {
        JOURNAL.clear();
    }

    // ---- fixtures run through EngineTestKit ----

    @Cleanroom
    static class ThreeClosers {
        @Test
        void registersThree(IsolationScope scope) {
            scope.onClose("first", () -> JOURNAL.add("first"));
            scope.onClose("second", () -> JOURNAL.add("second"));
            scope.onClose("third", () -> JOURNAL.add("third"));
            JOURNAL.add("test body");
        }
    }

    @Cleanroom
    static class FailingTestAndFailingCloser {
        @Test
        void fails(IsolationScope scope) {
            scope.onClose("runs anyway", () -> JOURNAL.add("runs anyway"));
            scope.onClose("broken closer", () -> {
                throw new IllegalStateException("closer broke");
            });
            throw new AssertionError("the test's own failure");
        }
    }

    @Cleanroom
    static class PassingTestAndFailingCloser {
        @Test
        void passes(IsolationScope scope) {
            scope.onClose("pool", () -> JOURNAL.add("pool closed"));
            scope.onClose("topic deleter", () -> {
                throw new IllegalStateException("broker gone");
            });
        }
    }

    @Cleanroom
    static class HangingCloser {
        @Test
        void hangs(IsolationScope scope) {
            scope.onClose("after the hang", () -> JOURNAL.add("after the hang"));
            scope.onClose("hanging closer", () -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    JOURNAL.add("hanging closer interrupted");
                    throw e;
                }
            });
        }
    }

    @Cleanroom
    static class StackOverflowInCloser {
        @Test
        void overflows(IsolationScope scope) {
            scope.onClose("runs anyway", () -> JOURNAL.add("runs anyway"));
            scope.onClose("overflowing closer", () -> {
                throw new StackOverflowError("simulated");
            });
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    /** A throwable that is neither an Exception nor an Error. */
    static final class OddThrowable extends Throwable {
        OddThrowable() {
            super("neither exception nor error");
        }
    }

    @Cleanroom
    static class ErrorsInClosers {
        @Test
        void throwsAllSorts(IsolationScope scope) {
            scope.onClose("runs anyway", () -> JOURNAL.add("runs anyway"));
            scope.onClose("odd closer", () -> sneakyThrow(new OddThrowable())); // as Kotlin or Lombok may
            scope.onClose("linkage closer", () -> {
                throw new NoClassDefFoundError("com/example/Missing");
            });
            scope.onClose("asserting closer", () -> {
                throw new AssertionError("closer asserted");
            });
        }
    }

    @Cleanroom
    static class CloserIgnoringInterrupts {
        @Test
        void hangs(IsolationScope scope) {
            scope.onClose("after the stubborn one", () -> JOURNAL.add("after the stubborn one"));
            scope.onClose("stubborn closer", () -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
                while (System.nanoTime() < end) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException ignored) {
                        // a closer that does not stop when asked
                    }
                }
                JOURNAL.add("stubborn closer ended");
                STUBBORN_ENDED.countDown();
            });
        }
    }

    @Cleanroom
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassAndMethodScopes {
        @BeforeAll
        static void beforeAll(IsolationScope classScope) {
            classScope.onClose("class resource", () -> JOURNAL.add("close class resource"));
        }

        @BeforeEach
        void beforeEach(IsolationScope scope) {
            scope.onClose("per-test resource", () -> JOURNAL.add("close per-test resource"));
        }

        @Test
        @Order(1)
        void one(IsolationScope scope) {
            JOURNAL.add("test one");
            scope.onClose("one's resource", () -> JOURNAL.add("close one's resource"));
        }

        @Test
        @Order(2)
        void two() {
            JOURNAL.add("test two");
        }

        @AfterEach
        void afterEach() {
            JOURNAL.add("user @AfterEach");
        }

        @AfterAll
        static void afterAll() {
            JOURNAL.add("user @AfterAll");
        }
    }

    // ---- tests ----

    @Test
    void closersRunInReverseOrderOfRegistrationAfterTheTest() {
        run(ThreeClosers.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(JOURNAL).containsExactly("test body", "third", "second", "first");
    }

    @Test
    void theTestsOwnFailureIsReportedAndTheCloserFailureIsAttachedAsSuppressed() {
        run(FailingTestAndFailingCloser.class).testEvents().assertThatEvents().haveExactly(1, event(test("fails"),
                finishedWithFailure(instanceOf(AssertionError.class), message("the test's own failure"),
                        suppressed(0, instanceOf(ScopeTeardownException.class),
                                message(m -> m.contains("'broken closer' failed")
                                        && m.contains("closer broke") && m.contains("1 of 2 closers failed"))))));
        assertThat(JOURNAL).containsExactly("runs anyway");
    }

    @Test
    void aFailingCloserFailsAPassingTestAndNamesTheCloser() {
        run(PassingTestAndFailingCloser.class).testEvents().assertThatEvents().haveExactly(1, event(test("passes"),
                finishedWithFailure(instanceOf(ScopeTeardownException.class),
                        message(m -> m.startsWith("Teardown of 'PassingTestAndFailingCloser.passes(IsolationScope)' failed")
                                && m.contains("'topic deleter' failed: java.lang.IllegalStateException: broker gone")))));
        assertThat(JOURNAL).containsExactly("pool closed");
    }

    @Test
    void aCloserThatHangsPastItsDeadlineIsInterruptedReportedWithItsStackAndTheRestStillRun() {
        EngineExecutionResults results = EngineKit.run(HangingCloser.class, "cleanroom.teardown.deadline", "300ms");
        results.testEvents().assertThatEvents().haveExactly(1, event(test("hangs"),
                finishedWithFailure(instanceOf(ScopeTeardownException.class), message(m ->
                        m.contains("'hanging closer' did not finish within 300 ms")))));
        Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        Throwable timeout = failure.getSuppressed()[0];
        assertThat(timeout).isInstanceOf(CloserTimeoutException.class);
        assertThat(timeout.getStackTrace()).anySatisfy(frame ->
                assertThat(frame.getMethodName()).isEqualTo("sleep"));
        assertThat(timeout).hasMessageContaining("interrupted and stopped before the next closer started");
        // the next closer (which may touch the same resource) started only after the hung one stopped
        assertThat(JOURNAL).containsExactly("hanging closer interrupted", "after the hang");
    }

    @Test
    void aCloserThatIgnoresTheInterruptIsReportedAsStillRunningAndTheNextRunsAfterAGrace() throws InterruptedException {
        STUBBORN_ENDED = new CountDownLatch(1);
        EngineExecutionResults results = EngineKit.run(CloserIgnoringInterrupts.class,
                "cleanroom.teardown.deadline", "300ms");
        results.testEvents().assertThatEvents().haveExactly(1, event(test("hangs"),
                finishedWithFailure(instanceOf(ScopeTeardownException.class), message(m ->
                        m.contains("'stubborn closer' did not finish within 300 ms; it was interrupted, ignored the"
                                + " interrupt and was left running 300 ms later")))));
        // the next closer waited the grace (the deadline again), not for the stubborn one's end
        assertThat(JOURNAL).first().isEqualTo("after the stubborn one");
        // it was left running: let it end before the next test reads the journal
        assertThat(STUBBORN_ENDED.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aVirtualMachineErrorOtherThanOutOfMemoryLetsTheOtherClosersRunAndIsThenRethrown() {
        run(StackOverflowInCloser.class).testEvents().assertThatEvents().haveExactly(1, event(test("overflows"),
                finishedWithFailure(instanceOf(StackOverflowError.class), message("simulated"))));
        assertThat(JOURNAL).containsExactly("runs anyway");
    }

    @Test
    void errorsAndOddThrowablesInClosersLetTheOtherClosersRunAndAreReportedTogether() {
        Throwable failure = run(ErrorsInClosers.class).testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(failure).isInstanceOfSatisfying(ScopeTeardownException.class, e -> assertThat(e.failures())
                .extracting(Throwable::getMessage).containsExactly(
                        "'asserting closer' failed: java.lang.AssertionError: closer asserted",
                        "'linkage closer' failed: java.lang.NoClassDefFoundError: com/example/Missing",
                        "'odd closer' failed: " + OddThrowable.class.getName() + ": neither exception nor error"));
        assertThat(JOURNAL).containsExactly("runs anyway");
    }

    @Test
    void anOutOfMemoryErrorIsRethrownAtOnce() {
        // not through EngineTestKit: JUnit rethrows an OutOfMemoryError out of the outer run too
        IsolationScope scope = IsolationScope.open("oom", Duration.ofSeconds(5));
        scope.onClose("never reached", () -> JOURNAL.add("never reached"));
        scope.onClose("out of memory", () -> {
            throw new OutOfMemoryError("simulated");
        });
        assertThatThrownBy(scope::close).isInstanceOf(OutOfMemoryError.class).hasMessage("simulated");
        assertThat(JOURNAL).doesNotContain("never reached");
    }

    @Test
    void classScopeClosesAfterAllTestsAndMethodScopeAfterEachIncludingUserCallbacks() {
        run(ClassAndMethodScopes.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(JOURNAL).containsExactly(
                "test one", "user @AfterEach", "close one's resource", "close per-test resource",
                "test two", "user @AfterEach", "close per-test resource",
                "user @AfterAll", "close class resource");
    }

    @Test
    void scopesAreClosedByTheExtensionNotOnlyByJUnitsStore() {
        EngineExecutionResults results = EngineKit.run(PassingTestAndFailingCloser.class,
                "junit.jupiter.extensions.store.close.autocloseable.enabled", "false");
        results.testEvents().assertThatEvents().haveExactly(1,
                event(test("passes"), finishedWithFailure(instanceOf(ScopeTeardownException.class))));
        assertThat(JOURNAL).containsExactly("pool closed");
    }

    // ---- the scope in plain code ----

    @Test
    void closingTwiceIsHarmless() {
        AtomicInteger closes = new AtomicInteger();
        IsolationScope scope = IsolationScope.open("twice");
        scope.onClose("counter", closes::incrementAndGet);
        scope.close();
        scope.close();
        assertThat(closes).hasValue(1);
        assertThat(scope.isClosed()).isTrue();
    }

    @Test
    void registeringAfterCloseClosesTheResourceAtOnceAndSaysSo() {
        IsolationScope scope = IsolationScope.open("late");
        scope.close();
        AtomicInteger closes = new AtomicInteger();
        assertThatThrownBy(() -> scope.onClose("late pool", closes::incrementAndGet))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Scope 'late' is already closed, so 'late pool' was closed at once");
        assertThat(closes).hasValue(1);
    }

    @Test
    void everyFailureIsCollectedInTheOrderTheClosersRan() {
        IsolationScope scope = IsolationScope.open("many", Duration.ofSeconds(5));
        scope.onClose("a", () -> {
            throw new IllegalStateException("a broke");
        });
        scope.onClose("b", () -> JOURNAL.add("b"));
        scope.onClose("c", () -> {
            throw new java.io.IOException("c broke");
        });
        assertThatThrownBy(scope::close).isInstanceOfSatisfying(ScopeTeardownException.class, e -> {
            assertThat(e.scopeName()).isEqualTo("many");
            assertThat(e.failures()).extracting(Throwable::getMessage)
                    .containsExactly("'c' failed: java.io.IOException: c broke",
                            "'a' failed: java.lang.IllegalStateException: a broke");
            assertThat(e.failures().get(0)).isInstanceOf(CloserFailedException.class)
                    .hasCauseInstanceOf(java.io.IOException.class);
        });
        assertThat(JOURNAL).containsExactly("b");
    }

    @Test
    void resourcesCanBeRegisteredFromManyThreadsAndAllAreClosedOnce() throws Exception {
        IsolationScope scope = IsolationScope.open("threads");
        AtomicInteger closes = new AtomicInteger();
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        scope.onClose("resource", closes::incrementAndGet);
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(scope.pendingClosers()).isEqualTo(threads * perThread);
        scope.close();
        assertThat(closes).hasValue(threads * perThread);
    }

    @Test
    void blankNamesAndNonPositiveDeadlinesAreRejected() {
        assertThatThrownBy(() -> IsolationScope.open(" ")).hasMessage("name must not be blank");
        assertThatThrownBy(() -> IsolationScope.open("x", Duration.ZERO)).hasMessage("deadline must be positive, was PT0S");
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineKit.run(fixture);
    }
}
