package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.FixtureExtension;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The extension behind {@link IsolatedPostgres}: before each test it takes a migrated
 * schema (or database) prepared ahead on the shared server, and registers
 * its release in the test's scope; it resolves {@link PostgresHandle} and
 * {@link DataSource} parameters. Internal: do not use; register it through the annotation.
 */
@API(status = INTERNAL, since = "0.1")
public final class IsolatedPostgresExtension extends FixtureExtension<IsolatedPostgres, PostgresHandle> {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(IsolatedPostgresExtension.class);
    private static final Duration DROPS_DEADLINE = Duration.ofMinutes(2);
    private static final System.Logger LOG = System.getLogger(IsolatedPostgresExtension.class.getName());

    public IsolatedPostgresExtension() {
        super(IsolatedPostgres.class, PostgresHandle.class);
    }

    @Override
    protected void ready(ExtensionContext context, Declaration<IsolatedPostgres> declaration) {
        PostgresServer server = Fixtures.sharedServer(context, PostgresServerProvider.class); // its start is not isolation
        onceInRun(context, server);
    }

    @Override
    protected PostgresHandle open(ExtensionContext context, Declaration<IsolatedPostgres> declaration, TestIdentity test) {
        PostgresServer server = Fixtures.sharedServer(context, PostgresServerProvider.class);
        RunStatistics run = RunStatistics.of(context);
        server.countFor(run);
        IsolatedPostgres annotation = declaration.annotation();
        IsolatedDatabase handle = server.isolate(annotation.mode(), annotation.migrations(), annotation.ddl(), test,
                classLoader(context), Fixtures.configuration(context));
        run.used(annotation.mode() == IsolatedPostgres.Mode.SCHEMA ? "schemas" : "databases", 1);
        String described = (annotation.mode() == IsolatedPostgres.Mode.SCHEMA ? "schema " + handle.schema()
                : "database " + handle.database()) + " (role " + handle.user() + (handle.reused() ? ", reused" : ", new") + ")";
        run.resources(context, described);
        LOG.log(System.Logger.Level.DEBUG, () -> "[cleanroom] " + test.readableName() + " has " + described);
        return handle;
    }

    @Override
    protected void release(ExtensionContext context, PostgresHandle handle) throws Exception {
        ((IsolatedDatabase) handle).release();
    }

    @Override
    protected String releaseDescription(PostgresHandle handle, TestIdentity test) {
        return "release PostgreSQL " + handle;
    }

    @Override
    protected String givesEachTest() {
        return "its own schema";
    }

    @Override
    protected List<Class<?>> parameterTypes() {
        return List.of(DataSource.class);
    }

    @Override
    protected Object parameter(Class<?> type, PostgresHandle handle) {
        return handle.dataSource();
    }

    /**
     * Once per JUnit run: announce the schemas (or databases) the run's test plan will take,
     * so they are prepared ahead of the first test; when the run ends, wait for every drop
     * queued so far and fail the run if one failed.
     */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    private static void onceInRun(ExtensionContext context, PostgresServer server) {
        IsolationScope runScope = Fixtures.runScope(context); // opened after the server's hold: closes before it
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(DropBarrier.class, k -> {
            Fixtures.plannedTests(context).ifPresent(plan -> server.announce(plan, Fixtures.configuration(context),
                    classLoader(context)));
            DropBarrier barrier = new DropBarrier(server);
            runScope.onClose("confirm the drops of this run's PostgreSQL schemas and databases",
                    DROPS_DEADLINE.plusSeconds(30), barrier::confirm);
            return barrier;
        }, DropBarrier.class);
    }

    private static ClassLoader classLoader(ExtensionContext context) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : context.getRequiredTestClass().getClassLoader();
    }

    private record DropBarrier(PostgresServer server) {
        void confirm() throws InterruptedException {
            List<Throwable> failures = server.awaitDrops(DROPS_DEADLINE);
            if (!failures.isEmpty()) {
                IllegalStateException failure = new IllegalStateException(failures.size()
                        + " PostgreSQL schema/database drop(s) of this run failed; the first: " + failures.get(0));
                failures.forEach(failure::addSuppressed);
                throw failure;
            }
        }
    }
}
