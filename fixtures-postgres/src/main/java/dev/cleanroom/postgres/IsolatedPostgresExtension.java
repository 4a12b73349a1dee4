package dev.cleanroom.postgres;

import static org.apiguardian.api.API.Status.STABLE;

import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.postgres.internal.Declarations;
import dev.cleanroom.postgres.internal.IsolatedDatabase;
import dev.cleanroom.postgres.internal.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link IsolatedPostgres}: before each test it takes a migrated
 * schema (or database) from the shared server, renames it after the test, and registers
 * its release in the test's scope; it resolves {@link PostgresHandle} and
 * {@link DataSource} parameters. Register it through the annotation.
 */
@API(status = STABLE, since = "0.1")
public final class IsolatedPostgresExtension implements BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(IsolatedPostgresExtension.class);
    private static final Duration DROPS_DEADLINE = Duration.ofMinutes(2);

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<IsolatedPostgres> annotation = annotation(context);
        if (annotation.isEmpty()) {
            return;
        }
        PostgresServer server = Fixtures.sharedServer(context, PostgresServerProvider.class); // its start is not isolation
        long start = System.nanoTime();
        RunStatistics run = RunStatistics.of(context);
        server.countFor(run);
        onceInRun(context, server);
        IsolatedDatabase handle = server.isolate(annotation.get().mode(), annotation.get().migrations(),
                TestIdentity.of(context), classLoader(context), Fixtures.configuration(context));
        run.used(annotation.get().mode() == IsolatedPostgres.Mode.SCHEMA ? "schemas" : "databases", 1);
        run.isolationTime(context, Duration.ofNanos(System.nanoTime() - start));
        Fixtures.scope(context).onClose("release PostgreSQL " + handle, () -> {
            long teardownStart = System.nanoTime();
            handle.release();
            run.isolationTime(context, Duration.ofNanos(System.nanoTime() - teardownStart));
        });
        context.getStore(NAMESPACE).put(PostgresHandle.class, new Holder(handle));
        Fixtures.provide(context, PostgresHandle.class, handle);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return (type == PostgresHandle.class || type == DataSource.class) && annotation(extensionContext).isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        Holder holder = extensionContext.getTestMethod().isPresent()
                ? extensionContext.getStore(NAMESPACE).get(PostgresHandle.class, Holder.class) : null;
        if (holder == null) {
            throw new ParameterResolutionException("@IsolatedPostgres gives each test method its own schema, so a "
                    + parameterContext.getParameter().getType().getSimpleName() + " parameter is available in test methods "
                    + "and @BeforeEach/@AfterEach methods only, not in " + parameterContext.getDeclaringExecutable() + ".");
        }
        return parameterContext.getParameter().getType() == DataSource.class ? holder.handle().dataSource() : holder.handle();
    }

    private static Optional<IsolatedPostgres> annotation(ExtensionContext context) {
        return Declarations.find(context.getTestClass().orElse(null), context.getTestMethod());
    }

    /**
     * Once per JUnit run: announce the schemas (or databases) the run's test plan will take,
     * so they are prepared ahead of the first test; when the run ends, wait for every drop
     * queued so far and fail the run if one failed.
     */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    private static void onceInRun(ExtensionContext context, PostgresServer server) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(DropBarrier.class, k -> {
            Fixtures.plannedTests(context).ifPresent(plan -> server.announce(plan, Fixtures.configuration(context),
                    classLoader(context)));
            return new DropBarrier(server);
        }, DropBarrier.class);
    }

    private static ClassLoader classLoader(ExtensionContext context) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : context.getRequiredTestClass().getClassLoader();
    }

    /** Wrapped so that JUnit's store never closes the handle itself. */
    private record Holder(IsolatedDatabase handle) {}

    private record DropBarrier(PostgresServer server) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
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
