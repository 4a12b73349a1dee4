package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Shared in-memory state (a cache, a counter) does not survive its test when its reset is registered. */
class StateResetsTest {

    /** Singletons of the code under test: state that would survive from one test into the next. */
    static final Map<String, String> PRICE_CACHE = new ConcurrentHashMap<>();
    static final AtomicInteger ORDER_NUMBERS = new AtomicInteger();
    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    @BeforeEach
    @AfterEach
    void clean() {
        PRICE_CACHE.clear();
        ORDER_NUMBERS.set(0);
        JOURNAL.clear();
        StateResets.deregisterForSuite(PRICE_CACHE);
    }

    /** Two tests that each expect the state to start empty; the first leaves some behind. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    abstract static class TwoTestsSharingState {
        @Test
        @Order(1)
        void first() {
            assertThat(ORDER_NUMBERS.incrementAndGet()).isEqualTo(1);
            PRICE_CACHE.put("sku-1", "9.99");
        }

        @Test
        @Order(2)
        void second() {
            assertThat(ORDER_NUMBERS.incrementAndGet()).as("order number").isEqualTo(1);
            assertThat(PRICE_CACHE).as("price cache").isEmpty();
        }
    }

    @Cleanroom
    static class ClassResets extends TwoTestsSharingState {
        // tag::state-resets[]
        @BeforeAll
        static void register(StateResets resets) {
            resets.register("price cache", PRICE_CACHE::clear).register("order numbers", () -> ORDER_NUMBERS.set(0));
        }
        // end::state-resets[]
    }

    @Test
    void resetsRegisteredForAClassRunAfterEachOfItsTests() {
        EngineKit.run(ClassResets.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    }

    @Cleanroom
    static class NoResets extends TwoTestsSharingState {
    }

    @Test
    void withoutResetsTheStateSurvivesIntoTheNextTest() {
        EngineKit.run(NoResets.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("second"), finishedWithFailure(message(m -> m.contains("order number")))));
    }

    @Cleanroom
    static class OuterRegisters {
        @BeforeAll
        static void register(StateResets resets) {
            resets.register("order numbers", () -> ORDER_NUMBERS.set(0));
        }

        @Nested
        class Inner extends TwoTestsSharingState {
            @BeforeEach
            void noCache() {
                PRICE_CACHE.clear(); // only the counter is the outer class's business here
            }
        }
    }

    @Test
    void resetsOfAnOuterClassRunAfterEachTestOfItsNestedClasses() {
        EngineKit.run(OuterRegisters.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    }

    @Cleanroom
    static class SuiteResets extends TwoTestsSharingState {
        @BeforeAll
        static void register() {
            StateResets.registerForSuite(Resettable.group(PRICE_CACHE, () -> List.of(
                    Resettable.of("price cache", PRICE_CACHE::clear),
                    Resettable.of("order numbers", () -> ORDER_NUMBERS.set(0)))));
        }
    }

    @Test
    void suiteResetsRunAfterEveryTest() {
        EngineKit.run(SuiteResets.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    }

    @Cleanroom
    static class TestResets {
        @Test
        void registersForItself(StateResets resets, IsolationScope scope) {
            resets.register("journal", () -> JOURNAL.add("reset"));
            scope.onClose("service", () -> JOURNAL.add("service stopped"));
        }
    }

    @Test
    void aTestsOwnResetRunsWhenItEndsAfterItsScopeClosed() {
        EngineKit.run(TestResets.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(JOURNAL).containsExactly("service stopped", "reset");
    }

    @Cleanroom
    static class FailingResets {
        @BeforeAll
        static void register(StateResets resets) {
            resets.register("clock", () -> {
                throw new IllegalStateException("clock is frozen");
            }).register("registry", () -> {
                throw new UnsupportedOperationException("registry is read-only");
            }).register("journal", () -> JOURNAL.add("journal reset"));
        }

        @Test
        void runs() {
        }
    }

    @Test
    void everyResetRunsAndTheFailuresAreCollectedEachNamed() {
        EngineExecutionResults results = EngineKit.run(FailingResets.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("runs"), finishedWithFailure(message(m ->
                m.startsWith("2 of 3 resets failed")
                        && m.contains("'reset of clock' failed: java.lang.IllegalStateException: clock is frozen")
                        && m.contains("'reset of registry' failed: java.lang.UnsupportedOperationException")))));
        assertThat(JOURNAL).contains("journal reset");
    }

    @Test
    void inPlainCodeTheResetsRunWhenTheScopeClosesAndFailLikeACloser() {
        IsolationScope scope = IsolationScope.open("plain_resets");
        StateResets.in(scope).register("order numbers", () -> ORDER_NUMBERS.set(0))
                .register("broken cache", () -> {
                    throw new IllegalStateException("cannot clear");
                });
        ORDER_NUMBERS.set(7);

        assertThatThrownBy(scope::close).isInstanceOf(ScopeTeardownException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().satisfies(closer -> assertThat(closer)
                        .isInstanceOf(CloserFailedException.class)
                        .hasMessageContaining("'state resets' failed")
                        .hasMessageContaining("1 of 2 resets failed")
                        .hasMessageContaining("'reset of broken cache' failed")));
        assertThat(ORDER_NUMBERS.get()).isZero();
    }

    @Test
    void aResetNeedsANameForItsMessages() {
        assertThatThrownBy(() -> Resettable.of(" ", () -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a name");
    }

    @Cleanroom
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class BreakersStillWork {
        static final CircuitBreakersTest.HomeMadeBreaker BREAKER = new CircuitBreakersTest.HomeMadeBreaker();

        @BeforeAll
        static void register(CircuitBreakers breakers) {
            breakers.register(BREAKER);
        }

        @Test
        @Order(1)
        void opens(CircuitBreakers breakers) {
            BREAKER.open = true;
            assertThatThrownBy(breakers::assertAllClosed).hasMessageContaining("home-made breaker is NOT CLOSED");
        }

        @Test
        @Order(2)
        void startsClosed(CircuitBreakers breakers) {
            breakers.assertAllClosed();
        }
    }

    @Test
    void circuitBreakersKeepTheirApiAsOneUserOfResettable() {
        EngineKit.run(BreakersStillWork.class).testEvents().assertThatEvents()
                .haveExactly(2, event(test(), finishedSuccessfully()));
    }
}
