package dev.cleanroom.core.resilience4j;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.Resettable;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Resilience4j breakers as {@link Resettable}s, for {@link dev.cleanroom.core.CircuitBreakers}
 * (needs the optional dependency {@code io.github.resilience4j:resilience4j-circuitbreaker};
 * the only Cleanroom class that touches Resilience4j types). A reset moves a breaker to
 * CLOSED through a state transition, which also cancels a pending automatic
 * OPEN&#8594;HALF_OPEN transition, and then starts fresh metrics.
 *
 * <pre>{@code
 * @BeforeAll
 * static void breakers(CircuitBreakers breakers) {
 *     breakers.register(Resilience4jBreakers.of(registry)); // every test of this class starts with them CLOSED
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Resilience4jBreakers {

    private Resilience4jBreakers() {}

    /**
     * Every breaker of {@code registry}, including ones created later; each is reset and
     * named on its own. {@code CircuitBreakers.deregisterForSuite(registry)} removes it.
     */
    public static Resettable of(CircuitBreakerRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return Resettable.group(registry, () -> registry.getAllCircuitBreakers().stream()
                .map(Resilience4jBreakers::of).toList());
    }

    /** One breaker. */
    public static Resettable of(CircuitBreaker breaker) {
        Objects.requireNonNull(breaker, "breaker");
        return new Resettable() {
            @Override
            public String name() {
                return "resilience4j circuit breaker '" + breaker.getName() + "'";
            }

            @Override
            public void reset() {
                // A transition (not reset() alone) runs the OPEN state's exit hook, which cancels a
                // pending automatic OPEN -> HALF_OPEN transition; reset() then starts fresh metrics.
                breaker.transitionToClosedState();
                breaker.reset();
            }

            @Override
            public boolean isClosed() {
                return breaker.getState() == CircuitBreaker.State.CLOSED;
            }

            @Override
            public String state() {
                CircuitBreaker.Metrics m = breaker.getMetrics();
                return breaker.getState() + " (failure rate " + m.getFailureRate() + "%, " + m.getNumberOfFailedCalls()
                        + " failed and " + m.getNumberOfSuccessfulCalls() + " successful calls, "
                        + m.getNumberOfNotPermittedCalls() + " not permitted)";
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }
}
