package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.resilience4j.Resilience4jBreakers;
import dev.cleanroom.testkit.EngineKit;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.internal.SchedulerFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Breakers opened by one test are CLOSED, with fresh metrics, for the next. */
class CircuitBreakersTest {

    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    static CircuitBreakerRegistry registry() {
        return CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(100))
                .automaticTransitionFromOpenToHalfOpenEnabled(true).build());
    }

    /** A breaker of one's own making, through Resettable. */
    static final class HomeMadeBreaker implements Resettable {
        volatile boolean open;

        @Override
        public String name() {
            return "home-made breaker";
        }

        @Override
        public void reset() {
            open = false;
        }

        @Override
        public boolean isClosed() {
            return !open;
        }
    }

    // ---- fixtures ----

    static CircuitBreakerRegistry classRegistry;
    static final HomeMadeBreaker HOME_MADE = new HomeMadeBreaker();

    @Cleanroom
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OpensThenExpectsClosed {
        @BeforeAll
        static void register(CircuitBreakers breakers) {
            classRegistry = registry();
            breakers.register(Resilience4jBreakers.of(classRegistry)).register(HOME_MADE);
        }

        @Test
        @Order(1)
        void opensEveryBreaker() {
            CircuitBreaker payments = classRegistry.circuitBreaker("payments");
            payments.onError(0, java.util.concurrent.TimeUnit.MILLISECONDS, new IllegalStateException("down"));
            payments.onError(0, java.util.concurrent.TimeUnit.MILLISECONDS, new IllegalStateException("down"));
            OPENED_AT_NANOS = System.nanoTime(); // OPEN -> HALF_OPEN is now scheduled, 100 ms from just before this
            HOME_MADE.open = true;
            JOURNAL.add("1: " + payments.getState());
        }

        @Test
        @Order(2)
        void startsClosed(CircuitBreakers breakers) throws Exception {
            CircuitBreaker payments = classRegistry.circuitBreaker("payments");
            JOURNAL.add("2: " + payments.getState() + " failed calls " + payments.getMetrics().getNumberOfFailedCalls());
            breakers.assertAllClosed();
            // FORCED_OPEN never leaves by itself, but a stale automatic OPEN -> HALF_OPEN transition
            // scheduled in test 1 would move it to HALF_OPEN when it fires (100 ms after test 1 opened it)
            payments.transitionToForcedOpenState();
            List<String> transitions = new CopyOnWriteArrayList<>();
            payments.getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition().toString()));
            afterTheStaleTransitionWouldHaveFired();
            JOURNAL.add("2 later: " + payments.getState() + " transitions " + transitions);
        }
    }

    static volatile long OPENED_AT_NANOS;

    /**
     * Returns once Resilience4j's scheduler has run every task due up to 100 ms after test 1
     * opened the breaker: it is one thread that runs tasks in the order they are due, so a
     * marker due 1 ms later than the stale transition runs after it.
     */
    static void afterTheStaleTransitionWouldHaveFired() throws Exception {
        long dueIn = Math.max(0, OPENED_AT_NANOS + TimeUnit.MILLISECONDS.toNanos(101) - System.nanoTime());
        SchedulerFactory.getInstance().getScheduler().schedule(() -> { }, dueIn, TimeUnit.NANOSECONDS)
                .get(10, TimeUnit.SECONDS);
    }

    static final CircuitBreakerRegistry SUITE_REGISTRY = registry();

    @Cleanroom
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SuiteRegistration {
        @Test
        @Order(1)
        void opens() {
            CircuitBreakers.registerForSuite(Resilience4jBreakers.of(SUITE_REGISTRY));
            SUITE_REGISTRY.circuitBreaker("inventory").transitionToOpenState();
        }

        @Test
        @Order(2)
        void startsClosed(CircuitBreakers breakers) {
            JOURNAL.add("suite: " + SUITE_REGISTRY.circuitBreaker("inventory").getState());
            breakers.assertAllClosed();
        }
    }

    @Cleanroom
    static class TestRegistration {
        @Test
        void registersAnOpenBreaker(CircuitBreakers breakers) {
            CircuitBreakerRegistry mine = registry();
            mine.circuitBreaker("mine").transitionToForcedOpenState();
            breakers.register(Resilience4jBreakers.of(mine));
            JOURNAL.add("on register: " + mine.circuitBreaker("mine").getState());
            mine.circuitBreaker("mine").transitionToOpenState();
            TEST_REGISTRY = mine;
        }
    }

    static CircuitBreakerRegistry TEST_REGISTRY;

    @AfterEach
    void deregister() {
        CircuitBreakers.deregisterForSuite(SUITE_REGISTRY);
        JOURNAL.clear();
    }

    // ---- tests ----

    @Test
    void aBreakerLeftOpenByOneTestIsClosedWithFreshMetricsForTheNext() {
        EngineKit.run(OpensThenExpectsClosed.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(JOURNAL).containsExactly("1: OPEN", "2: CLOSED failed calls 0", "2 later: FORCED_OPEN transitions []");
        assertThat(HOME_MADE.isClosed()).isTrue();
    }

    @Test
    void suiteRegistrationsAreResetBeforeEveryTest() {
        EngineKit.run(SuiteRegistration.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(JOURNAL).containsExactly("suite: CLOSED");
    }

    @Test
    void testRegistrationsAreResetOnRegistrationAndWhenTheTestEnds() {
        EngineKit.run(TestRegistration.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(JOURNAL).containsExactly("on register: CLOSED");
        assertThat(TEST_REGISTRY.circuitBreaker("mine").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void assertAllClosedNamesEveryOpenBreakerAndItsState() {
        try (IsolationScope scope = IsolationScope.open("breakers")) {
            CircuitBreakers breakers = CircuitBreakers.in(scope);
            CircuitBreakerRegistry registry = registry();
            HomeMadeBreaker own = new HomeMadeBreaker();
            breakers.register(Resilience4jBreakers.of(registry)).register(own);
            registry.circuitBreaker("orders").transitionToOpenState();
            own.open = true;
            assertThatThrownBy(breakers::assertAllClosed).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("2 of 2 circuit breakers are not CLOSED")
                    .hasMessageContaining("resilience4j circuit breaker 'orders' is OPEN (failure rate")
                    .hasMessageContaining("home-made breaker is NOT CLOSED");
            breakers.resetAll();
            breakers.assertAllClosed();
        }
    }
}
