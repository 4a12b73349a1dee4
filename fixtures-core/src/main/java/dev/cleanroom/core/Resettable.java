package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * State that must not leak from one test into the next: a cache, a counter, a clock, a
 * registry, or a circuit breaker. Register it with {@link StateResets} (reset after every
 * test) or, for a breaker, with {@link CircuitBreakers} (reset before every test, and
 * asserted closed).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Resettable {

    /** A name for messages, e.g. {@code price cache} or {@code payment-gateway breaker}. */
    String name();

    /** Back to the initial state: empty, zero, closed with fresh metrics. */
    void reset();

    /**
     * For a circuit breaker: whether it is in its closed (initial) state. Other state has
     * no such notion and is always "closed".
     */
    default boolean isClosed() {
        return true;
    }

    /** The current state for messages; by default {@code CLOSED} or {@code NOT CLOSED}. */
    default String state() {
        return isClosed() ? "CLOSED" : "NOT CLOSED";
    }

    /**
     * A reset of any state: {@code reset} runs on each {@link #reset()}, {@code name} appears
     * in messages, e.g. {@code Resettable.of("price cache", PriceCache.INSTANCE::clear)}.
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    static Resettable of(String name, Runnable reset) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a reset needs a name for messages, e.g. \"price cache\"");
        }
        Objects.requireNonNull(reset, "reset");
        return new Resettable() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void reset() {
                reset.run();
            }

            @Override
            public String toString() {
                return "Resettable[" + name + "]";
            }
        };
    }

    /**
     * One registration for every member that {@code members} lists at the moment of asking
     * (for example every breaker of a registry, including ones created later). Registered
     * with {@link StateResets} or {@link CircuitBreakers}, each member is reset, counted and
     * named on its own. Registering a group of the same {@code owner} twice keeps one;
     * {@code deregisterForSuite} accepts the owner too.
     *
     * @param owner what the members belong to, e.g. a registry
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    static Resettable group(Object owner, Supplier<? extends Collection<? extends Resettable>> members) {
        return new ResettableGroup(Objects.requireNonNull(owner, "owner"), Objects.requireNonNull(members, "members"));
    }
}
