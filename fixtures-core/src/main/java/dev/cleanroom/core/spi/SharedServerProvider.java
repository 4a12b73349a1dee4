package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.Setting;
import org.apiguardian.api.API;

/**
 * Starts the server that a fixture module shares across the whole suite (a Kafka
 * broker, a PostgreSQL server). Core calls it at most once per JVM, resolves
 * {@link Engine#AUTO} before calling, starts the servers a test class needs concurrently,
 * and closes the server when the last JUnit run in the JVM that used it ends.
 *
 * <p>Implementations need a public no-argument constructor; they are named in
 * {@link UsesSharedServer} on the fixture's annotation.
 *
 * @param <S> the server handle; closing it stops or disconnects the server
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface SharedServerProvider<S extends AutoCloseable> {

    /** Lower-case name used in messages and keys, e.g. {@code kafka}. */
    String technology();

    /** The setting that chooses the engine, e.g. {@code cleanroom.kafka.engine}. */
    Setting<Engine> engineSetting();

    /**
     * Starts (or connects to) the server.
     *
     * @param engine never {@link Engine#AUTO}
     * @param configuration the run's configuration
     */
    S start(Engine engine, Configuration configuration) throws Exception;
}
