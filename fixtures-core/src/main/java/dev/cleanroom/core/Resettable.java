package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Anything with state that must not leak from one test into the next, typically a
 * circuit breaker of your own making. Register it with {@link CircuitBreakers}; it is
 * reset before every test.
 */
@API(status = EXPERIMENTAL, since = "0.1")
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

    /**
     * One registration for every member that {@code members} lists at the moment of asking
     * (for example every breaker of a registry, including ones created later). Registered
     * with {@link CircuitBreakers}, each member is reset, counted and named on its own.
     * Registering a group of the same {@code owner} twice keeps one;
     * {@link CircuitBreakers#deregisterForSuite} accepts the owner too.
     *
     * @param owner what the members belong to, e.g. a registry
     */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    static Resettable group(Object owner, Supplier<? extends Collection<? extends Resettable>> members) {
        return new ResettableGroup(Objects.requireNonNull(owner, "owner"), Objects.requireNonNull(members, "members"));
    }
}
