package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A server as one engine runs it (a container, an embedded process, an external cluster),
 * before a fixture module connects to it. Closing stops what this run started.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface RunningEngine extends AutoCloseable {

    /** One line for messages, e.g. {@code testcontainers (apache/kafka:4.4.0)}. */
    String describe();

    /**
     * Why the server is known to be gone (its container stopped, its process exited), or
     * empty if it may still be alive or this engine cannot tell without connecting.
     */
    default Optional<String> whyGone() {
        return Optional.empty();
    }

    /** A hint for failure messages, e.g. the tail of the server's log; empty if none. */
    default String diagnostics() {
        return "";
    }
}
