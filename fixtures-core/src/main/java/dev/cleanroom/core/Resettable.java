package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Anything with state that must not leak from one test into the next, typically a
 * circuit breaker of your own making. Register it with {@link CircuitBreakers}; it is
 * reset before every test.
 */
@API(status = STABLE, since = "0.1")
public interface Resettable {

    /** A name for messages, e.g. {@code payment-gateway breaker}. */
    String name();

    /** Back to the initial, closed state with fresh metrics. */
    void reset();

    /** Whether it is in its closed (initial) state. */
    boolean isClosed();

    /** The current state for messages; by default {@code CLOSED} or {@code NOT CLOSED}. */
    default String state() {
        return isClosed() ? "CLOSED" : "NOT CLOSED";
    }
}
