package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Resettable;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.List;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Resilience4j support; the only class that touches Resilience4j types, loaded only when a
 * registry or breaker is registered. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class Resilience4jBreakers {

    private Resilience4jBreakers() {}

    /** Every breaker of the registry at the moment of asking, including ones added later. */
    public static Supplier<List<Resettable>> of(CircuitBreakerRegistry registry) {
        return () -> registry.getAllCircuitBreakers().stream().map(Resilience4jBreakers::of).toList();
    }

    /** One breaker. */
    public static Resettable of(CircuitBreaker breaker) {
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
