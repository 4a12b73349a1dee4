package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.CircuitBreakers;
import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.StateResets;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.core.TestIdentity;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a {@link ServiceFactory} gets to build a service for one test: the test's fixture
 * handles, its tracker, coordinator, breakers, configuration, identity and scope. The
 * tracker, coordinator and breakers are the same instances the test receives as
 * parameters.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface ServiceContext {

    /**
     * The handle a fixture published for this test (for example {@code KafkaHandle} with
     * {@code @IsolatedKafka}), if any.
     */
    <H> Optional<H> fixture(Class<H> handleType);

    /** As {@link #fixture}, but a missing handle is an error that says which annotation provides it. */
    default <H> H requireFixture(Class<H> handleType) {
        return fixture(handleType).orElseThrow(() -> new IllegalStateException("No " + handleType.getSimpleName()
                + " was published for " + identity().readableName() + ". Annotate the test class with the fixture "
                + "that provides it (e.g. @IsolatedKafka for KafkaHandle, @IsolatedPostgres for PostgresHandle), "
                + "before @IsolatedServices."));
    }

    /**
     * A dependency that the test supplies instead of the real one: the value of a non-null
     * field of the test instance (or of an enclosing {@code @Nested} instance) declared with
     * exactly type {@code D}, such as a Mockito {@code @Mock} field that
     * {@code MockitoExtension} filled before the test. Empty outside a test method, or if no
     * such field is set.
     *
     * <pre>{@code
     * PaymentGateway gateway = ctx.fromTest(PaymentGateway.class).orElseGet(RealGateway::new);
     * }</pre>
     *
     * @throws IllegalStateException if several fields qualify
     */
    <D> Optional<D> fromTest(Class<D> type);

    /** The test's task tracker. */
    TaskTracker tracker();

    /** The test's event coordinator. */
    EventCoordinator coordinator();

    /** The test's circuit breakers. */
    CircuitBreakers circuitBreakers();

    /** The test's state resets: register how to reset state the service keeps beyond the test. */
    @API(status = EXPERIMENTAL, since = "0.1")
    default StateResets stateResets() {
        return StateResets.in(scope());
    }

    /** The run's configuration. */
    Configuration configuration();

    /** Who the test is, for naming. */
    TestIdentity identity();

    /** The test's scope: register anything else the service needs closed. */
    IsolationScope scope();
}
