package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.internal.HelperSettings;
import dev.cleanroom.core.internal.ScopeHost;
import dev.cleanroom.core.internal.SignalAfterMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Named barriers that replace sleeps: the code under test {@linkplain #signal signals}
 * (directly, or through a {@linkplain #signalAfter(String, Runnable) wrapper}), the test
 * {@linkplain #await awaits}. Signals accumulate: {@code await(name, n)} returns as soon
 * as {@code n} signals have arrived in total, with the first {@code n} payloads in the
 * order they arrived (null for a signal without payload).
 *
 * <p>A service's method can signal too, without the service offering a callback:
 * {@link #signalAfter(Object, String)} wraps an interface implementation in a proxy, or
 * stubs a Mockito spy in place.
 *
 * <p>Every await has a finite timeout ({@code cleanroom.barrier.timeout} by default). A
 * timeout throws {@link BarrierTimeoutException} naming the barrier, the count wanted and
 * arrived, and every barrier signalled so far. When the test ends, waiters still blocked
 * are released with an {@link IllegalStateException}; later signals are ignored.
 *
 * <p>In a test, declare a parameter of this type; each test gets a fresh coordinator. In
 * plain code, {@link #in(IsolationScope)}. Thread-safe.
 *
 * <pre>{@code
 * @Test
 * void processesEvent(EventCoordinator events, TaskTracker tasks) {
 *     Consumer<String> handler = events.signalAfter("processed", service::handle);
 *     tasks.runAsync(() -> handler.accept("order-1"));
 *     assertThat(events.await("processed")).containsExactly("order-1");
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class EventCoordinator {

    private final String owner;
    private final Duration defaultTimeout;
    private final Map<String, List<Object>> barriers = new LinkedHashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    private EventCoordinator(String owner, Duration defaultTimeout) {
        this.owner = owner;
        this.defaultTimeout = defaultTimeout;
    }

    /** The coordinator of {@code scope}, created on first use; its waiters are released when the scope closes. */
    public static EventCoordinator in(IsolationScope scope) {
        return scope.attachment(EventCoordinator.class, () -> {
            HelperSettings settings = ScopeHost.of(scope).map(ScopeHost::settings)
                    .orElseGet(HelperSettings::plain);
            EventCoordinator coordinator = new EventCoordinator(scope.name(), settings.barrierTimeout());
            scope.onClose("event coordinator (releases waiters)", coordinator::close);
            return coordinator;
        });
    }

    /** One signal on {@code barrier}, without payload. */
    public void signal(String barrier) {
        signal(barrier, null);
    }

    /** One signal on {@code barrier} carrying {@code payload} (may be null). */
    public synchronized void signal(String barrier, Object payload) {
        requireName(barrier);
        if (closed) {
            return; // the test is over; late work must not fail on its way out
        }
        barriers.computeIfAbsent(barrier, b -> new ArrayList<>()).add(payload);
        notifyAll();
    }

    /** Waits for one signal on {@code barrier} with the default timeout; returns its payload in a list. */
    public List<Object> await(String barrier) {
        return await(barrier, 1, defaultTimeout);
    }

    /** Waits until {@code count} signals have arrived on {@code barrier}, with the default timeout. */
    public List<Object> await(String barrier, int count) {
        return await(barrier, count, defaultTimeout);
    }

    /**
     * Waits until {@code count} signals have arrived on {@code barrier} in total and returns
     * the first {@code count} payloads.
     *
     * @throws BarrierTimeoutException if they do not arrive within {@code timeout}
     * @throws IllegalStateException if the test ends (or the thread is interrupted) while waiting
     */
    public List<Object> await(String barrier, int count, Duration timeout) {
        requireName(barrier);
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                List<Object> arrived = barriers.getOrDefault(barrier, List.of());
                if (arrived.size() >= count) {
                    return Collections.unmodifiableList(new ArrayList<>(arrived.subList(0, count)));
                }
                if (closed) {
                    throw new IllegalStateException("Released while waiting for barrier '" + barrier + "' ("
                            + arrived.size() + " of " + count + " signals arrived): " + owner + " ended.");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BarrierTimeoutException("Barrier '" + barrier + "' of " + owner + ": wanted " + count
                            + (count == 1 ? " signal" : " signals"), timeout,
                            arrived.size() + " arrived. Signalled so far: " + signalledSoFar() + ".");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for barrier '" + barrier + "' ("
                            + arrived.size() + " of " + count + " signals arrived)", e);
                }
            }
        }
    }

    /** As {@link #await(String, int, Duration)}, with payloads cast to {@code type}. */
    public <T> List<T> await(String barrier, int count, Duration timeout, Class<T> type) {
        List<Object> payloads = await(barrier, count, timeout);
        List<T> typed = new ArrayList<>(payloads.size());
        for (Object payload : payloads) {
            if (payload != null && !type.isInstance(payload)) {
                throw new ClassCastException("Barrier '" + barrier + "' carried a " + payload.getClass().getName()
                        + " (" + payload + "), not a " + type.getName());
            }
            typed.add(type.cast(payload));
        }
        return Collections.unmodifiableList(typed);
    }

    /** How many signals have arrived on {@code barrier} so far. */
    public synchronized int count(String barrier) {
        return barriers.getOrDefault(barrier, List.of()).size();
    }

    /** Wraps {@code task}: runs it, then signals {@code barrier} (only if it returned normally). */
    public Runnable signalAfter(String barrier, Runnable task) {
        requireName(barrier);
        Objects.requireNonNull(task, "task");
        return () -> {
            task.run();
            signal(barrier);
        };
    }

    /**
     * Wraps {@code function}: applies it, then signals {@code barrier} with the result as
     * payload. With an overloaded method reference such as {@code Integer::parseInt}, Java
     * cannot choose between this and the {@code Consumer} variant: write a typed lambda,
     * {@code (String s) -> Integer.parseInt(s)}, or cast to {@code Function<String, Integer>}.
     */
    public <T, R> Function<T, R> signalAfter(String barrier, Function<T, R> function) {
        requireName(barrier);
        Objects.requireNonNull(function, "function");
        return input -> {
            R result = function.apply(input);
            signal(barrier, result);
            return result;
        };
    }

    /** Wraps {@code consumer}: accepts the argument, then signals {@code barrier} with the argument as payload. */
    public <T> Consumer<T> signalAfter(String barrier, Consumer<T> consumer) {
        requireName(barrier);
        Objects.requireNonNull(consumer, "consumer");
        return input -> {
            consumer.accept(input);
            signal(barrier, input);
        };
    }

    /**
     * Wraps {@code service} so that every call of its method {@code method} that returns
     * normally signals the barrier named {@code method}, so a test can await "the hook was
     * processed" without the service offering a callback:
     *
     * <pre>{@code
     * HookHandler handler = events.signalAfter(new OrderHookHandler(store), "processEvent");
     * receiver.start(handler);                                 // the code under test calls the wrapper
     * client.post("shop", orderCreated);
     * assertThat(events.await("processEvent")).singleElement().isEqualTo(expectedEvent);
     * }</pre>
     *
     * The payload of a signal is what the method returned, or for a {@code void} method its
     * argument (a list of its arguments when several; null when none). Every overload of
     * the name counts.
     *
     * <ul>
     *   <li>For a Mockito spy or mock ({@code spy(service)}, {@code @Spy}, {@code @MockitoSpyBean}),
     *       the method is stubbed in place and the spy itself is returned: whoever already
     *       holds it signals. A spy runs its real method, a mock answers as it would by default;
     *       stubbing the method again afterwards replaces this. Mockito is an optional
     *       dependency: it is asked whether {@code service} is a mock only when it is on the
     *       class path.</li>
     *   <li>Anything else is wrapped in a JDK proxy that implements every interface of its
     *       class and calls the service: assign it to an interface type and hand it to the
     *       code under test instead of the service.</li>
     * </ul>
     *
     * @return the wrapper (a proxy), or {@code service} itself when it is a Mockito spy or mock
     * @throws IllegalArgumentException when no interface (or the mock's type) has a method of
     *     that name (the message lists the methods there are), or when the service implements no
     *     interface and is not a Mockito spy
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public <T> T signalAfter(T service, String method) {
        return signalAfter(service, method, method);
    }

    /** As {@link #signalAfter(Object, String)}, signalling the barrier {@code barrier}. */
    @API(status = EXPERIMENTAL, since = "0.1")
    @SuppressWarnings("unchecked")
    public <T> T signalAfter(T service, String method, String barrier) {
        Objects.requireNonNull(service, "service");
        requireName(barrier);
        return (T) SignalAfterMethod.wrap(null, service, method, payload -> signal(barrier, payload));
    }

    /**
     * As {@link #signalAfter(Object, String, String)}, typed: a JDK proxy that implements
     * exactly the interface {@code type} (whatever else the service's class implements, and
     * even when {@code service} is a Mockito spy).
     *
     * <pre>{@code
     * Downstream downstream = events.signalAfter(Downstream.class, new LedgerDownstream(db), "execute", "task done");
     * }</pre>
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public <I> I signalAfter(Class<I> type, I service, String method, String barrier) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(service, "service");
        requireName(barrier);
        return type.cast(SignalAfterMethod.wrap(type, service, method, payload -> signal(barrier, payload)));
    }

    /** Releases every waiter; later signals are ignored. Called when the scope closes. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private String signalledSoFar() {
        if (barriers.isEmpty()) {
            return "none";
        }
        return barriers.entrySet().stream().map(e -> "'" + e.getKey() + "' x" + e.getValue().size())
                .collect(Collectors.joining(", "));
    }

    private static void requireName(String barrier) {
        if (barrier == null || barrier.isBlank()) {
            throw new IllegalArgumentException("a barrier name must not be blank");
        }
    }

    @Override
    public String toString() {
        return "EventCoordinator[" + owner + "]";
    }
}
