package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A test awaits "the hook was processed" although the service offers no callback:
 * {@code events.signalAfter(service, "processEvent")} wraps an interface implementation in a
 * proxy, or stubs a Mockito spy in place.
 */
class SignalAfterMethodTest {

    /** How the code under test sees the service: an interface, no callback. */
    interface HookHandler {
        void processEvent(String event);

        int backlog();
    }

    /** The service: processes on whatever thread calls it. */
    static final class OrderHooks implements HookHandler {
        final List<String> processed = new CopyOnWriteArrayList<>();

        @Override
        public void processEvent(String event) {
            processed.add(event);
        }

        @Override
        public int backlog() {
            return 0;
        }
    }

    /** A service without an interface: a Mockito spy is the way to wrap it. */
    static class Ledger {
        public String book(String entry, int cents) {
            return entry + "=" + cents;
        }
    }

    @Cleanroom
    static class AwaitsTheHook {
        @Test
        void throughAProxyOfItsInterface(EventCoordinator events, TaskTracker tasks) {
            OrderHooks service = new OrderHooks();
            HookHandler handler = events.signalAfter(service, "processEvent");

            tasks.startThread("hook-consumer", () -> handler.processEvent("order-1"));

            assertThat(events.await("processEvent")).containsExactly("order-1"); // a void method: its argument
            assertThat(service.processed).containsExactly("order-1");
            assertThat(handler.backlog()).isZero();
            assertThat(events.count("backlog")).as("only the named method signals").isZero();
        }

        @Test
        void throughAMockitoSpyStubbedInPlace(EventCoordinator events, TaskTracker tasks) {
            // tag::spy[]
            Ledger ledger = spy(new Ledger());
            assertThat(events.signalAfter(ledger, "book", "booked")).isSameAs(ledger);

            tasks.startThread("booker", () -> ledger.book("fee", 250)); // whoever holds the spy signals
            // end::spy[]

            assertThat(events.await("booked")).containsExactly("fee=250"); // a value: what it returned
            verify(ledger).book("fee", 250);
        }

        @Test
        void throughAMockitoMockAnsweringByDefault(EventCoordinator events, TaskTracker tasks) {
            HookHandler handler = mock(HookHandler.class);
            events.signalAfter(handler, "processEvent", "mock processed");

            tasks.startThread("hook-consumer", () -> handler.processEvent("order-2"));

            assertThat(events.await("mock processed")).containsExactly("order-2");
            verify(handler).processEvent("order-2");
        }

        @Test
        void typedToOneInterface(EventCoordinator events, TaskTracker tasks) {
            HookHandler handler = events.signalAfter(HookHandler.class, new OrderHooks(), "processEvent", "processed");

            tasks.startThread("hook-consumer", () -> handler.processEvent("order-3"));

            assertThat(events.await("processed")).containsExactly("order-3");
        }
    }

    @Test
    void aTestAwaitsAServiceMethodWithoutACallback() {
        EngineKit.run(AwaitsTheHook.class).testEvents().assertStatistics(s -> s.succeeded(4).failed(0));
    }

    @Test
    void anUnknownMethodOrAServiceWithoutInterfaceIsRefusedWithWhatToDo() {
        try (IsolationScope scope = IsolationScope.open("signal_after_errors")) {
            EventCoordinator events = EventCoordinator.in(scope);

            assertThatThrownBy(() -> events.signalAfter(new OrderHooks(), "process"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no method 'process' on the interfaces of")
                    .hasMessageContaining("Its methods: backlog, processEvent.");
            assertThatThrownBy(() -> events.signalAfter(new Ledger(), "book"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("implements no interface")
                    .hasMessageContaining("Mockito spy");
            assertThatThrownBy(() -> events.signalAfter(spy(new Ledger()), "charge"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no method 'charge' on the spy of " + Ledger.class.getName());
        }
    }
}
