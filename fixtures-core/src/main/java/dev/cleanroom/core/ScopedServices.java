package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.internal.HelperSettings;
import dev.cleanroom.core.internal.ServiceFactories;
import dev.cleanroom.core.spi.ServiceContext;
import dev.cleanroom.core.spi.ServiceFactory;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Isolated services in plain code, without JUnit: a {@link ServiceFactory} builds the
 * service in a {@link ServiceContext} made of the scope's own tracker, coordinator and
 * breakers; the service is started, and stopped when the scope closes.
 *
 * <pre>{@code
 * try (IsolationScope scope = IsolationScope.open("complex_test")) {
 *     TaskTracker tasks = TaskTracker.in(scope);           // first: it checks for leaked threads last
 *     HookReceiver receiver = ScopedServices.start(scope, new HookReceiverFactory());
 *     ...
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ScopedServices {

    private ScopedServices() {}

    /** Creates and starts a service whose stop runs when {@code scope} closes. */
    public static <T> T start(IsolationScope scope, ServiceFactory<T> factory) {
        return ServiceFactories.startService(Objects.requireNonNull(factory, "factory"), context(scope));
    }

    /**
     * Creates and starts a service whose factory may look up {@code fixtures} (handle type
     * to handle) with {@link ServiceContext#fixture}.
     */
    public static <T> T start(IsolationScope scope, ServiceFactory<T> factory, Map<Class<?>, Object> fixtures) {
        return ServiceFactories.startService(Objects.requireNonNull(factory, "factory"), new Plain(scope, fixtures));
    }

    /** The service context of {@code scope} for plain code: no fixtures, no test instance. */
    public static ServiceContext context(IsolationScope scope) {
        return new Plain(scope, Map.of());
    }

    private static final class Plain implements ServiceContext {
        private final IsolationScope scope;
        private final Map<Class<?>, Object> fixtures;

        Plain(IsolationScope scope, Map<Class<?>, Object> fixtures) {
            this.scope = Objects.requireNonNull(scope, "scope");
            this.fixtures = Map.copyOf(fixtures);
        }

        @Override
        public <H> Optional<H> fixture(Class<H> handleType) {
            return Optional.ofNullable(handleType.cast(fixtures.get(handleType)));
        }

        @Override
        public <D> Optional<D> fromTest(Class<D> type) {
            return Optional.empty();
        }

        @Override
        public TaskTracker tracker() {
            return TaskTracker.in(scope);
        }

        @Override
        public EventCoordinator coordinator() {
            return EventCoordinator.in(scope);
        }

        @Override
        public CircuitBreakers circuitBreakers() {
            return CircuitBreakers.in(scope);
        }

        @Override
        public Configuration configuration() {
            return HelperSettings.plainConfiguration();
        }

        @Override
        public TestIdentity identity() {
            return scope.attachment(TestIdentity.class, () -> TestIdentity.named(scope.name()));
        }

        @Override
        public IsolationScope scope() {
            return scope;
        }
    }
}
