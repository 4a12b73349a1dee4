package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.Setting;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The shape of a fixture module's {@link SharedServerProvider}, declared rather than
 * written: how each engine starts the server, and how the fixture connects to it. If
 * connecting fails, the started engine is closed
 * (its failure attached as suppressed) before the failure is reported, so a failed start
 * leaves nothing behind.
 *
 * @param <E> the engine's running server
 * @param <S> the connected server the fixture uses
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class EngineProvider<E extends RunningEngine, S extends AutoCloseable> implements SharedServerProvider<S> {

    private final String technology;
    private final Setting<Engine> engineSetting;
    private final Start<? extends E> testcontainers;
    private final Start<? extends E> embedded;
    private final Start<? extends E> external;
    private final Connect<E, S> connect;

    /** Starts a server on one engine. */
    @FunctionalInterface
    @API(status = EXPERIMENTAL, since = "0.1")
    public interface Start<E> {
        E start(Configuration configuration) throws Exception;
    }

    /** Makes what the fixture uses of a started engine; on failure the provider closes the engine. */
    @FunctionalInterface
    @API(status = EXPERIMENTAL, since = "0.1")
    public interface Connect<E, S> {
        S connect(E engine, Engine kind, Configuration configuration) throws Exception;
    }

    /**
     * @param technology lower-case name used in messages and keys, e.g. {@code kafka}
     * @param engineSetting the setting that chooses the engine, e.g. {@code cleanroom.kafka.engine}
     * @param testcontainers starts a container of the configured image
     * @param embedded starts the server without Docker
     * @param external connects to the configured server that someone else runs
     * @param connect what the fixture uses of the started engine
     */
    protected EngineProvider(String technology, Setting<Engine> engineSetting, Start<? extends E> testcontainers,
                             Start<? extends E> embedded, Start<? extends E> external, Connect<E, S> connect) {
        this.technology = Objects.requireNonNull(technology, "technology");
        this.engineSetting = Objects.requireNonNull(engineSetting, "engineSetting");
        this.testcontainers = Objects.requireNonNull(testcontainers, "testcontainers");
        this.embedded = Objects.requireNonNull(embedded, "embedded");
        this.external = Objects.requireNonNull(external, "external");
        this.connect = Objects.requireNonNull(connect, "connect");
    }

    @Override
    public final String technology() {
        return technology;
    }

    @Override
    public final Setting<Engine> engineSetting() {
        return engineSetting;
    }

    /**
     * The failure to report when connecting to {@code engine} failed (it is closed by then):
     * {@code failure} itself by default; a module may say more, e.g. that a login was refused.
     */
    protected Exception explain(E engine, Engine kind, Configuration configuration, Exception failure) {
        return failure;
    }

    @Override
    public final S start(Engine engine, Configuration configuration) throws Exception {
        E started = switch (engine) {
            case TESTCONTAINERS -> testcontainers.start(configuration);
            case EMBEDDED -> embedded.start(configuration);
            case EXTERNAL -> external.start(configuration);
            case AUTO -> throw new IllegalArgumentException("core resolves auto before start");
        };
        try {
            return connect.connect(started, engine, configuration);
        } catch (Exception | Error e) {
            try {
                started.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof Exception failure) {
                throw explain(started, engine, configuration, failure);
            }
            throw e;
        }
    }
}
