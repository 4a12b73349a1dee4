package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.internal.HelperLifecycle;
import dev.cleanroom.core.internal.MissingFixture;
import dev.cleanroom.core.internal.RunnerWatch;
import dev.cleanroom.core.internal.RunningTests;
import dev.cleanroom.core.internal.ScopeLifecycle;
import dev.cleanroom.core.internal.ServiceFactories;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.ServiceFactory;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The core of every Cleanroom fixture: opens a scope per test class and per test method,
 * starts the shared servers that the class needs (concurrently) before it runs, and
 * closes each scope in reverse order of registration when its test or class ends.
 *
 * <p>Registered by {@link Cleanroom @Cleanroom}, {@code @IsolatedKafka} and
 * {@code @IsolatedPostgres}; register it yourself with {@code @ExtendWith} only when you
 * use core helpers without those annotations.
 *
 * <p>Teardown failures are thrown from {@code afterEach}/{@code afterAll}, so JUnit
 * attaches them to the test's own failure as suppressed; the test's failure stays first.
 * <p>Test methods and lifecycle methods may declare parameters of these types, fresh for
 * each test (or, in {@code @BeforeAll}/{@code @AfterAll}, for the class):
 * {@link IsolationScope} (register your own closers), {@link TaskTracker},
 * {@link EventCoordinator}, {@link CircuitBreakers}, {@link StateResets}, and any service type that a
 * {@link dev.cleanroom.core.spi.ServiceFactory} makes ({@link IsolatedServices}).
 *
 * <p>Around each test and class it also checks for leaks ({@code cleanroom.leaks}):
 * threads started during the test and still alive after teardown, tracked work that
 * would not stop, unread failed futures. Tests after a thread that survived interruption
 * are failed (or skipped with {@code warn}) with the reason. Registered circuit breakers
 * are reset before every test; registered {@link StateResets} after every test.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CleanroomExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        ScopeLifecycle.beforeAll(context);
        HelperLifecycle.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RunnerWatch.testStarts();
        ScopeLifecycle.beforeEach(context);
        RunningTests.start(context);
        HelperLifecycle.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RunningTests.finish(context);
        HelperLifecycle.closeAndCheck(context, ScopeLifecycle.existing(context).orElse(null),
                () -> ScopeLifecycle.closeScopeOf(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        HelperLifecycle.closeAndCheck(context, ScopeLifecycle.existing(context).orElse(null),
                () -> ScopeLifecycle.closeScopeOf(context));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == IsolationScope.class || type == TaskTracker.class || type == EventCoordinator.class
                || type == CircuitBreakers.class || type == StateResets.class || ServiceFactories.find(extensionContext, type) != null
                || MissingFixture.applies(parameterContext, extensionContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == IsolationScope.class) {
            return Fixtures.scope(extensionContext);
        }
        if (type == TaskTracker.class) {
            return HelperLifecycle.tracker(extensionContext);
        }
        if (type == EventCoordinator.class) {
            return HelperLifecycle.coordinator(extensionContext);
        }
        if (type == CircuitBreakers.class) {
            return HelperLifecycle.circuitBreakers(extensionContext);
        }
        if (type == StateResets.class) {
            return HelperLifecycle.stateResets(extensionContext);
        }
        if (MissingFixture.applies(parameterContext, extensionContext)) {
            throw MissingFixture.failure(parameterContext);
        }
        ServiceFactory<?> factory = ServiceFactories.find(extensionContext, type);
        try {
            return HelperLifecycle.service(extensionContext, factory);
        } catch (ServiceFactories.ServiceFailure e) {
            throw new ParameterResolutionException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
    }
}
