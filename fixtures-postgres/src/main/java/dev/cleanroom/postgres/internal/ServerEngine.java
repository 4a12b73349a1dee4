package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** A started (or connected) PostgreSQL server. Closing stops what this run started. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public interface ServerEngine extends AutoCloseable {

    Endpoint endpoint();

    /** Whether this run owns the server outright (a fresh container or embedded server), so it may tune it. */
    boolean ownsServer();

    /** One line for messages, e.g. "testcontainers postgres:18-alpine". */
    String describe();

    /**
     * Why the server is known to be gone (its container stopped, its process exited), or
     * empty if it may still be alive or this engine cannot tell without connecting.
     */
    default java.util.Optional<String> whyGone() {
        return java.util.Optional.empty();
    }

    @Override
    void close() throws Exception;
}
