package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.STABLE;

import dev.cleanroom.core.internal.ScopeLifecycle;
import dev.cleanroom.core.spi.Fixtures;
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
 * Test methods and lifecycle methods may declare a parameter of type
 * {@link IsolationScope} to register their own closers.
 */
@API(status = STABLE, since = "0.1")
public final class CleanroomExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        ScopeLifecycle.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ScopeLifecycle.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ScopeLifecycle.closeScopeOf(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ScopeLifecycle.closeScopeOf(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == IsolationScope.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return Fixtures.scope(extensionContext);
    }
}
