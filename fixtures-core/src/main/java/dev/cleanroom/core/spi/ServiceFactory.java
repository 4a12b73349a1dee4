package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.internal.ServiceMethods;
import org.apiguardian.api.API;

/**
 * Builds a fresh instance of a service for each test, wired to that test's fixtures
 * (its Kafka and Postgres handles when present), tracker, coordinator and configuration.
 * A test gets the instance by declaring a parameter of {@link #serviceType()}; the
 * extension creates it, {@linkplain #start starts} it, and registers its
 * {@linkplain #stop stop} in the test's scope at that moment, so it stops before the
 * clients and namespaces that were set up before it.
 *
 * <p>Found through {@link dev.cleanroom.core.IsolatedServices @IsolatedServices} on the
 * test class, or through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.cleanroom.core.spi.ServiceFactory}). Needs a public (or,
 * for annotation use, any) no-arg constructor.
 *
 * <pre>{@code
 * public final class HookReceiverFactory implements ServiceFactory<HookReceiver> {
 *     public Class<HookReceiver> serviceType() { return HookReceiver.class; }
 *     public HookReceiver create(ServiceContext ctx) {
 *         KafkaHandle kafka = ctx.requireFixture(KafkaHandle.class);
 *         return new HookReceiver(kafka.topic("hooks"), ctx.tracker(), ctx.coordinator());
 *     }
 * }
 * }</pre>
 *
 * @param <T> the service type
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface ServiceFactory<T> {

    /** The type a test parameter must have to receive an instance. */
    Class<T> serviceType();

    /** Builds a fresh, not yet started instance for the test described by {@code context}. */
    T create(ServiceContext context) throws Exception;

    /** Starts the service; by default calls its public no-arg {@code start()} if it has one. */
    default void start(T service) throws Exception {
        ServiceMethods.invokeIfPresent(service, "start");
    }

    /**
     * Stops the service at teardown; by default calls its public no-arg {@code stop()}, or
     * else {@code close()}, if it has one.
     */
    default void stop(T service) throws Exception {
        if (!ServiceMethods.invokeIfPresent(service, "stop")) {
            ServiceMethods.invokeIfPresent(service, "close");
        }
    }
}
