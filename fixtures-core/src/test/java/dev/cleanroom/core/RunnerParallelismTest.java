package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.ProbeServers.ProbeProvider;
import dev.cleanroom.core.ProbeServers.ProbeServer;
import dev.cleanroom.core.spi.FixtureExtension;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.testkit.EngineKit;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Cleanroom never makes JUnit run more tests at once than its configured parallelism. A
 * parallel run of classes that all wait for a slow shared server (in the class's set-up and
 * in each test's fixture), release a fixture in teardown and block briefly in the body is
 * watched through its events: the number of tests between their start and finish events
 * never exceeds the parallelism. Waiting through {@code ForkJoinPool.managedBlock} (a
 * {@code CompletableFuture.get}, say) on a JUnit worker would make the pool add a worker
 * and JUnit start another test on it: that is what this catches. On JUnit 6.1 and later it
 * runs on both of JUnit's executors (ForkJoinPool and the worker-thread pool). And when a
 * test's own code waits that way, Cleanroom says so once, naming the call site.
 */
class RunnerParallelismTest {

    private static final int PARALLELISM = 3;
    private static final String EXECUTOR_SERVICE = "junit.jupiter.execution.parallel.config.executor-service";

    /** A fixture on the probe server: waits for it before each test, releases after. */
    @Inherited
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ExtendWith(CleanroomExtension.class)
    @ExtendWith(ProbeFixture.class)
    @UsesSharedServer(ProbeProvider.class)
    @interface WithProbe {}

    /** Opens a "namespace" on the shared probe server; releasing it takes a little while (teardown waits). */
    public static final class ProbeFixture extends FixtureExtension<WithProbe, String> {
        public ProbeFixture() {
            super(WithProbe.class, String.class);
        }

        @Override
        protected void ready(ExtensionContext context, Declaration<WithProbe> declaration) {
            Fixtures.sharedServer(context, ProbeProvider.class);
        }

        @Override
        protected String open(ExtensionContext context, Declaration<WithProbe> declaration, TestIdentity test) {
            ProbeServer server = Fixtures.sharedServer(context, ProbeProvider.class);
            return server.technology + ":" + test.sequence();
        }

        @Override
        protected void release(ExtensionContext context, String handle) throws InterruptedException {
            Thread.sleep(20); // a closer that takes time: the test thread waits for the teardown thread
        }

        @Override
        protected String releaseDescription(String handle, TestIdentity test) {
            return "release " + handle;
        }

        @Override
        protected String givesEachTest() {
            return "a probe namespace";
        }
    }

    @EngineKit.Fixture
    @WithProbe
    abstract static class ProbeClass {
        @Test void one(String namespace) throws InterruptedException {
            Thread.sleep(30);
        }

        @Test void two(String namespace) throws InterruptedException {
            Thread.sleep(30);
        }

        @Test void three(String namespace) throws InterruptedException {
            Thread.sleep(30);
        }
    }

    static class C1 extends ProbeClass {}
    static class C2 extends ProbeClass {}
    static class C3 extends ProbeClass {}
    static class C4 extends ProbeClass {}
    static class C5 extends ProbeClass {}
    static class C6 extends ProbeClass {}
    static class C7 extends ProbeClass {}
    static class C8 extends ProbeClass {}
    static class C9 extends ProbeClass {}
    static class C10 extends ProbeClass {}

    /** Waits for async work the way many suites do: CompletableFuture.get on the test thread. */
    @EngineKit.Fixture
    @Cleanroom
    static class WaitsThroughAManagedBlock {
        @Test void waits() throws Exception {
            CompletableFuture.supplyAsync(() -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(800));
                return "done";
            }).get(10, TimeUnit.SECONDS);
        }
    }

    /** Waits for the same work through its tracker: parked. */
    @EngineKit.Fixture
    @Cleanroom
    static class WaitsThroughItsTracker {
        @Test void waits(TaskTracker tasks) throws Exception {
            CompletableFuture<String> work = CompletableFuture.supplyAsync(() -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(800));
                return "done";
            });
            assertThat(tasks.await(work, Duration.ofSeconds(10))).isEqualTo("done");
            assertThat(tasks.supplyAsync(() -> "tracked").get(10, TimeUnit.SECONDS)).isEqualTo("tracked");
        }
    }

    @EngineKit.Fixture
    @Cleanroom
    abstract static class Busy {
        @Test void one() throws InterruptedException {
            Thread.sleep(200);
        }

        @Test void two() throws InterruptedException {
            Thread.sleep(200);
        }
    }

    static class B1 extends Busy {}
    static class B2 extends Busy {}
    static class B3 extends Busy {}
    static class B4 extends Busy {}

    @Test
    void aTestThreadThatMakesJUnitStartMoreTestsIsNamedOnce() {
        Map<String, String> parameters = new HashMap<>(EngineKit.parallel(2));
        parameters.put("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
        parameters.put(EXECUTOR_SERVICE, "FORK_JOIN_POOL");
        String err = StdErr.during(() -> assertThat(EngineKit.failures(EngineKit.run(parameters,
                WaitsThroughAManagedBlock.class, B1.class, B2.class, B3.class, B4.class))).isEmpty());

        assertThat(err).containsOnlyOnce("[cleanroom] JUnit is running more tests at once than its parallelism (2)")
                .contains("Waiting: at " + WaitsThroughAManagedBlock.class.getName() + ".waits(RunnerParallelismTest.java:")
                .contains("via java.util.concurrent.CompletableFuture.get")
                .contains("junit.jupiter.execution.parallel.config.fixed.max-pool-size=2");
    }

    @Test
    void aTestThatWaitsThroughItsTrackerMakesJUnitStartNoMoreTests() {
        Map<String, String> parameters = new HashMap<>(EngineKit.parallel(2));
        parameters.put("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
        EngineExecutionResults[] results = new EngineExecutionResults[1];
        String err = StdErr.during(() -> results[0] = EngineKit.run(parameters, WaitsThroughItsTracker.class,
                B1.class, B2.class, B3.class, B4.class));

        assertThat(EngineKit.failures(results[0])).isEmpty();
        assertThat(err).doesNotContain("JUnit is running more tests at once");
        assertThat(EngineKit.maxTestsInFlight(results[0])).as("tests in flight at parallelism 2").isLessThanOrEqualTo(2);
    }

    static Stream<String> executors() {
        return workerThreadPoolAvailable() ? Stream.of("FORK_JOIN_POOL", "WORKER_THREAD_POOL") : Stream.of("FORK_JOIN_POOL");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("executors")
    void testsInFlightNeverExceedTheConfiguredParallelism(String executor) {
        Map<String, String> parameters = new HashMap<>(EngineKit.parallel(PARALLELISM));
        parameters.put("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
        if (workerThreadPoolAvailable()) {
            parameters.put(EXECUTOR_SERVICE, executor);
        }
        EngineExecutionResults[] results = new EngineExecutionResults[1];
        String err = StdErr.during(() -> results[0] = EngineKit.run(parameters, C1.class, C2.class, C3.class,
                C4.class, C5.class, C6.class, C7.class, C8.class, C9.class, C10.class));

        assertThat(err).as("a runner conflict named").doesNotContain("JUnit is running more tests at once");
        assertInFlight(results[0], executor);
    }

    private static void assertInFlight(EngineExecutionResults results, String executor) {
        assertThat(EngineKit.failures(results)).as("failures of the nested run").isEmpty();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(30);
        assertThat(EngineKit.maxTestsInFlight(results))
                .as("tests in flight at once, at parallelism %d on %s", PARALLELISM, executor)
                .isLessThanOrEqualTo(PARALLELISM);
    }

    /** JUnit 6.1 added a worker-thread-pool executor beside the ForkJoinPool. */
    private static boolean workerThreadPoolAvailable() {
        try {
            Class.forName("org.junit.platform.engine.support.hierarchical.WorkerThreadPoolHierarchicalTestExecutorService");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
