package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.Setting;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/** Turns {@code auto} into a concrete engine and checks that the chosen one can work. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class EngineSelection {

    private static final java.util.concurrent.atomic.AtomicBoolean ANNOUNCED = new java.util.concurrent.atomic.AtomicBoolean();
    private static final java.util.Map<String, Engine> SERVED = new java.util.concurrent.ConcurrentSkipListMap<>();

    private EngineSelection() {}

    /** The engine to use for {@code technology}; never {@link Engine#AUTO}. */
    public static Engine resolve(Configuration configuration, Setting<Engine> setting, String technology) {
        Engine engine = resolve(configuration, setting, technology,
                () -> DockerProbe.status(configuration.get(CoreSettings.DOCKER_PROBE_TIMEOUT)));
        if (configuration.get(setting) == Engine.AUTO && ANNOUNCED.compareAndSet(false, true)) {
            System.out.println(announcement(DockerProbe.status(configuration.get(CoreSettings.DOCKER_PROBE_TIMEOUT))));
        }
        return engine;
    }

    /** The line printed once per JVM when {@code auto} first decides. */
    public static String announcement(DockerProbe.Status docker) {
        return "[cleanroom] " + docker.detail() + ": engine auto uses "
                + (docker.available() ? "the Testcontainers engines" : "the embedded engines (set cleanroom.<kafka|postgres>.engine"
                        + " to choose" + (docker.fix().equals(DockerProbe.Status.START_DOCKER) ? ""
                                : "; to use Docker: " + docker.fix()) + ")");
    }

    /** The engine that served {@code technology} in this JVM, for the run summary. */
    public static void served(String technology, Engine engine) {
        SERVED.put(technology, engine);
    }

    /** E.g. {@code "Kafka embedded, Postgres testcontainers"}; empty when no shared server started. */
    public static String servedEngines() {
        return SERVED.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().configName())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** As {@link #resolve(Configuration, Setting, String)}, with the Docker answer supplied (asked at most once). */
    public static Engine resolve(Configuration configuration, Setting<Engine> setting, String technology,
                                 Supplier<DockerProbe.Status> dockerStatus) {
        Engine chosen = configuration.get(setting);
        if (chosen == Engine.AUTO) {
            return dockerStatus.get().available() ? Engine.TESTCONTAINERS : Engine.EMBEDDED;
        }
        if (chosen == Engine.TESTCONTAINERS) {
            DockerProbe.Status docker = dockerStatus.get();
            if (!docker.available()) {
                throw new ConfigurationException(setting.key() + "=testcontainers (from "
                        + configuration.sourceOf(setting) + ") needs a Docker engine, but " + docker.detail()
                        + ". " + docker.fix() + ", or choose another engine: "
                        + setting.key() + "=embedded runs " + technology + " without Docker, "
                        + setting.key() + "=external uses a server you run.");
            }
        }
        return chosen;
    }
}
