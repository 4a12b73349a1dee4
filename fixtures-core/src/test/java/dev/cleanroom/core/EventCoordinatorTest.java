package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.testkit.EngineKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Named barriers: payloads, wrappers, timeouts that say what was seen, release at teardown. */
class EventCoordinatorTest {

    // ---- fixtures ----

    @Cleanroom
    static class TimesOut {
        @Test
        void waitsForWhatNeverComes(EventCoordinator events) {
            events.signal("started");
            events.signal("started");
            events.signal("received", "order-1");
            events.await("processed", 2, Duration.ofMillis(100));
        }
    }

    static final Map<String, Throwable> RELEASED = new ConcurrentHashMap<>();

    @Cleanroom
    static class LeavesAWaiter {
        @Test
        void endsWhileSomeoneWaits(TaskTracker tasks, EventCoordinator events) throws InterruptedException {
            Thread waiter = tasks.startThread("waiter", () -> {
                try {
                    events.await("never", 1, Duration.ofMinutes(1));
                } catch (Throwable t) {
                    RELEASED.put("waiter", t);
                }
            });
            Waits.until("the waiter to wait", () -> waiter.getState() == Thread.State.TIMED_WAITING);
        }
    }

    @Cleanroom
    static class DefaultTimeout {
        @Test
        void usesTheSetting(EventCoordinator events) {
            events.await("nothing");
        }
    }

    // ---- tests ----

    @Test
    void aTimeoutNamesTheBarrierTheCountsAndEverySignalSoFar() {
        EngineKit.run(TimesOut.class).testEvents().assertThatEvents().haveExactly(1, event(test("waitsForWhatNeverComes"),
                finishedWithFailure(instanceOf(BarrierTimeoutException.class), message(
                        "Barrier 'processed' of TimesOut.waitsForWhatNeverComes(EventCoordinator): wanted 2 signals within "
                                + "100 ms, but 0 arrived. Signalled so far: 'started' x2, 'received' x1."))));
    }

    @Test
    void theDefaultTimeoutComesFromConfiguration() {
        EngineKit.run(DefaultTimeout.class, "cleanroom.barrier.timeout", "50ms").testEvents().assertThatEvents()
                .haveExactly(1, event(test("usesTheSetting"), finishedWithFailure(instanceOf(BarrierTimeoutException.class),
                        message(m -> m.contains("wanted 1 signal within 50 ms, but 0 arrived. Signalled so far: none.")))));
    }

    @Test
    void waitersAreReleasedWhenTheTestEnds() {
        RELEASED.clear();
        EngineKit.run(LeavesAWaiter.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(RELEASED.get("waiter")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Released while waiting for barrier 'never' (0 of 1 signals arrived)")
                .hasMessageContaining("LeavesAWaiter.endsWhileSomeoneWaits");
    }

    @Test
    void awaitReturnsPayloadsInArrivalOrderAndCountsAccumulate() {
        try (IsolationScope scope = IsolationScope.open("payloads")) {
            EventCoordinator events = EventCoordinator.in(scope);
            events.signal("rows", 1);
            events.signal("rows", 2);
            events.signal("rows");
            assertThat(events.await("rows", 2)).containsExactly(1, 2);
            assertThat(events.await("rows", 3)).containsExactly(1, 2, null);
            assertThat(events.await("rows", 2, Duration.ofSeconds(1), Integer.class)).containsExactly(1, 2);
            assertThat(events.count("rows")).isEqualTo(3);
            assertThatThrownBy(() -> events.await("rows", 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("count must be at least 1, was 0");
            assertThatThrownBy(() -> events.await("rows", 1, Duration.ZERO)).hasMessageContaining("timeout must be positive");
        }
    }

    @Test
    void wrappersSignalAfterTheWrappedCodeRan() {
        List<String> handled = new CopyOnWriteArrayList<>();
        try (IsolationScope scope = IsolationScope.open("wrappers")) {
            TaskTracker tasks = TaskTracker.in(scope);
            EventCoordinator events = EventCoordinator.in(scope);

            Consumer<String> handler = events.signalAfter("handled", (Consumer<String>) handled::add);
            Function<String, Integer> parser = events.signalAfter("parsed", (String s) -> Integer.parseInt(s));
            Runnable tick = events.signalAfter("ticked", () -> handled.add("tick"));

            tasks.runAsync(() -> handler.accept("order-1")).join();
            tasks.supplyAsync(() -> parser.apply("42")).join();
            tasks.startThread("ticker", tick);

            assertThat(events.await("handled")).containsExactly("order-1");
            assertThat(events.await("parsed")).containsExactly(42);
            assertThat(events.await("ticked")).containsExactly((Object) null);
            assertThat(handled).containsExactlyInAnyOrder("order-1", "tick");
        }
    }

    @Test
    void aWrappedFunctionThatThrowsDoesNotSignal() {
        try (IsolationScope scope = IsolationScope.open("throwing")) {
            EventCoordinator events = EventCoordinator.in(scope);
            Function<String, Integer> parser = events.signalAfter("parsed", (String s) -> Integer.parseInt(s));
            assertThatThrownBy(() -> parser.apply("x")).isInstanceOf(NumberFormatException.class);
            assertThat(events.count("parsed")).isZero();
        }
    }
}
