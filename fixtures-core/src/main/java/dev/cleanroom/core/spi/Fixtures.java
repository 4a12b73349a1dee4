package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.internal.RunningTests;
import dev.cleanroom.core.internal.ScopeLifecycle;
import dev.cleanroom.core.internal.SharedServerRegistry;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a fixture module's extension needs from core: the scope that tears down what the
 * fixture creates, the run's configuration, and the shared servers.
 *
 * <p>Scopes are opened lazily and closed by {@link dev.cleanroom.core.CleanroomExtension}
 * (a method scope after each test, a class scope after all tests of a class); a fixture
 * annotation therefore meta-annotates {@code @ExtendWith(CleanroomExtension.class)} before
 * its own extension.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Fixtures {

    private Fixtures() {}

    /**
     * The scope of the test that {@code context} describes: the method scope inside a test
     * method (and its before/after-each methods), else the class scope.
     */
    public static IsolationScope scope(ExtensionContext context) {
        return ScopeLifecycle.scope(context);
    }

    /** The scope of the test class (closed after all its tests and {@code @AfterAll} methods). */
    public static IsolationScope classScope(ExtensionContext context) {
        return ScopeLifecycle.classScope(context);
    }

    /**
     * The scope of this JUnit run: closed when the run ends, after its last class, also where
     * JUnit's closing of {@code AutoCloseable} store values is switched off. Register run-wide
     * work here with a deadline of its own, for example confirming the run's deletions; the
     * run's hold on the shared servers it used is released in it too (after what was
     * registered later, so confirmations still reach their server).
     */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    public static IsolationScope runScope(ExtensionContext context) {
        return ScopeLifecycle.runScope(context);
    }

    /** The configuration of this JUnit run, read and validated once per run. */
    public static Configuration configuration(ExtensionContext context) {
        return ScopeLifecycle.configuration(context);
    }

    /**
     * Publishes a fixture's per-test handle (for example the test's Kafka or Postgres
     * handle) so that other extensions, such as isolated-service factories, can find it
     * with {@link #provided}. Stored for exactly the test (or class) of {@code context}.
     */
    public static <H> void provide(ExtensionContext context, Class<H> type, H handle) {
        ScopeLifecycle.provide(context, type, handle);
    }

    /** The handle of {@code type} published for this test, or for its class, if any. */
    public static <H> java.util.Optional<H> provided(ExtensionContext context, Class<H> type) {
        return ScopeLifecycle.provided(context, type);
    }

    /**
     * The test methods of this run's plan (every test and test template of the Jupiter
     * engine that the launcher discovered, before the first ran), so that a fixture can
     * prepare for the whole run. Empty when the run was not started by a launcher that
     * Cleanroom's listener sees, such as a run nested in a test through EngineTestKit.
     */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    public static java.util.Optional<java.util.List<PlannedTest>> plannedTests(ExtensionContext context) {
        return RunStatistics.plannedTests(context);
    }

    /**
     * How many tests this JUnit run executes at once, from its configuration parameters:
     * 1 unless {@code junit.jupiter.execution.parallel.enabled}; else the {@code fixed}
     * parallelism, the {@code dynamic} factor (default 1) times the available processors,
     * or what the {@code custom} strategy says. For sizing what is prepared ahead
     * ({@link PrefetchPool#expectParallelism}).
     */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    public static int parallelism(ExtensionContext context) {
        return dev.cleanroom.core.internal.JUnitParallelism.of(context::getConfigurationParameter);
    }

    /** The shared server of {@code provider}, started on first use; this run holds it until it ends. */
    public static <S extends AutoCloseable> S sharedServer(ExtensionContext context,
                                                           Class<? extends SharedServerProvider<S>> provider) {
        return SharedServerRegistry.obtain(context, configuration(context), provider);
    }

    /**
     * The shared server of {@code provider}, started on first use, held until the lease is
     * closed rather than until a JUnit run ends: for holders that outlive a run, such as a
     * cached application context.
     */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    public static <S extends AutoCloseable> SharedServerLease<S> leaseSharedServer(
            Configuration configuration, Class<? extends SharedServerProvider<S>> provider) {
        return SharedServerRegistry.lease(configuration, provider);
    }

    /**
     * The test method running on this thread (between Cleanroom's before-each and after-each
     * callbacks), if any. Threads the test starts do not inherit it.
     */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    public static java.util.Optional<RunningTest> currentTest() {
        return RunningTests.current();
    }

    /** Every test method running now, on any thread (several with parallel execution). */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    public static java.util.List<RunningTest> runningTests() {
        return RunningTests.all();
    }
}
