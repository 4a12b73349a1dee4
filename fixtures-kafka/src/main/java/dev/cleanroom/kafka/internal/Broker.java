package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** A running broker of one engine. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public interface Broker extends AutoCloseable {

    /** Bootstrap servers for clients. */
    String bootstrapServers();

    /** One line for messages, e.g. "testcontainers (apache/kafka:4.4.0)". */
    String describe();

    /** Whether other runs may share this broker (then a lease is kept and dead runs' leftovers are cleaned). */
    boolean shared();

    /**
     * Why the broker is known to be gone (its container stopped, its process exited), or
     * empty if it may still be alive or this engine cannot tell without asking the broker.
     */
    default java.util.Optional<String> whyGone() {
        return java.util.Optional.empty();
    }

    /** A hint for failure messages, e.g. the tail of the broker's log; empty if none. */
    default String diagnostics() {
        return "";
    }
}
