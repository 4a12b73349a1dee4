package com.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.Cleanroom;
import dev.cleanroom.core.CircuitBreakers;
import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.Resettable;
import dev.cleanroom.core.TaskTracker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Core's helpers with no Resilience4j on the class path: in plain code and as test parameters. */
class PlainCoreTest {

    /** A circuit breaker of one's own making. */
    static final class HomeMadeBreaker implements Resettable {
        volatile boolean open;

        @Override
        public String name() {
            return "home-made";
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

    @Test
    void theHelpersWorkInPlainCode() throws Exception {
        List<String> journal = new CopyOnWriteArrayList<>();
        HomeMadeBreaker breaker = new HomeMadeBreaker();
        ExecutorService leftRunning;
        try (IsolationScope scope = IsolationScope.open("plain")) {
            TaskTracker tasks = TaskTracker.in(scope);
            EventCoordinator events = EventCoordinator.in(scope);
            CircuitBreakers breakers = CircuitBreakers.in(scope).register(breaker);
            scope.onClose("database", () -> journal.add("database closed"));

            leftRunning = tasks.newScheduledThreadPool("poller", 1);
            tasks.runAsync(() -> events.signal("handled", "order-1"));
            assertThat(events.await("handled")).containsExactly("order-1");

            breaker.open = true;
            assertThatThrownBy(breakers::assertAllClosed).hasMessageContaining("home-made");
            breakers.resetAll();
            breakers.assertAllClosed();
            breaker.open = true;
        }
        assertThat(journal).containsExactly("database closed");
        assertThat(leftRunning.awaitTermination(5, TimeUnit.SECONDS)).as("the tracker stopped the poller").isTrue();
        assertThat(breaker.isClosed()).as("reset when the scope closed").isTrue();
    }

    @Test
    @Cleanroom
    void theHelpersAreTestParameters(TaskTracker tasks, EventCoordinator events, CircuitBreakers breakers) {
        HomeMadeBreaker breaker = new HomeMadeBreaker();
        breaker.open = true;
        breakers.register(breaker); // reset at once
        assertThat(breaker.isClosed()).isTrue();
        tasks.runAsync(events.signalAfter("done", () -> {})).join();
        assertThat(events.count("done")).isEqualTo(1);
    }
}
