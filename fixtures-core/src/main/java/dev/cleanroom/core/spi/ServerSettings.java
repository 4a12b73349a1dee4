package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.Engine;
import dev.cleanroom.core.Setting;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The settings every shared server has: {@code cleanroom.<technology>.engine},
 * {@code .image} and {@code .reuse}. A module declares them once:
 *
 * <pre>{@code
 * static final ServerSettings SERVER = ServerSettings.of("kafka", "apache/kafka:4.4.0",
 *         "How the shared Kafka broker is obtained: ...", "Docker image of ...", "Keep the container ...");
 * public static final Setting<Engine> ENGINE = SERVER.engine();
 * }</pre>
 *
 * @param technology lower-case name used in keys and messages, e.g. {@code kafka}
 * @param engine which engine provides the server (default {@code auto})
 * @param image the image of the testcontainers engine
 * @param reuse whether the testcontainers engine keeps its container for later runs (default false)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ServerSettings(String technology, Setting<Engine> engine, Setting<String> image, Setting<Boolean> reuse) {

    /** Declares the three settings of {@code technology} with their descriptions. */
    public static ServerSettings of(String technology, String defaultImage, String engineDescription,
                                    String imageDescription, String reuseDescription) {
        String prefix = "cleanroom." + technology + ".";
        return new ServerSettings(technology,
                Setting.oneOf(prefix + "engine", Engine.class, Engine.AUTO, engineDescription),
                Setting.text(prefix + "image", defaultImage, imageDescription),
                Setting.flag(prefix + "reuse", false, reuseDescription));
    }

    /** The three settings, for a module's list of every setting. */
    public List<Setting<?>> all() {
        return List.of(engine, image, reuse);
    }
}
