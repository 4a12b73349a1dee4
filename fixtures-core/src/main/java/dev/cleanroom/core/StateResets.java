package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.internal.ScopeHost;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * Shared in-memory state that must not survive a test: a cache, a counter, a clock, a
 * registry, any singleton the code under test keeps. Register how to reset it, and it is
 * reset after every test that should not see what the last one left.
 *
 * <ul>
 *   <li>{@link #registerForSuite} (static, e.g. from a {@code static} initializer): reset
 *       after every test of the JVM that uses {@code @Cleanroom} or a fixture annotation;</li>
 *   <li>{@link #register} on the instance a {@code @BeforeAll} method receives: reset after
 *       every test of that class and of its {@code @Nested} classes, and when the class
 *       ends;</li>
 *   <li>{@link #register} on the instance a test (or a service factory) receives: reset
 *       when the test ends.</li>
 * </ul>
 * The resets run once the test's scope has closed, after its services, tracked work and
 * fixtures were stopped. Every reset runs even when one fails; the failures are collected
 * like closers' failures: one exception fails the test, naming every reset that failed,
 * each attached as a {@link CloserFailedException} whose cause is what the reset threw.
 *
 * <pre>{@code
 * @BeforeAll
 * static void resets(StateResets resets) {
 *     resets.register("price cache", PriceCache.INSTANCE::clear)
 *           .register("order numbers", () -> OrderNumbers.restartAt(1));
 * }
 *
 * @Test
 * void pricesOrder(StateResets resets) {
 *     resets.register(clock);               // a Resettable of your own: this test only
 *     ...
 * }
 * }</pre>
 *
 * <p>Circuit breakers are one kind of such state with a state of their own (closed or not):
 * {@link CircuitBreakers} keeps them, resets them before every test and can assert that they
 * are closed. In plain code, {@link #in(IsolationScope)}: its registrations and the suite's
 * are reset when the scope closes. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class StateResets {

    private static final List<Resettable> SUITE = new CopyOnWriteArrayList<>();

    private final StateResets parent; // the enclosing scope's (a test's class, an outer class); null otherwise
    private final List<Resettable> own = new CopyOnWriteArrayList<>();

    private StateResets(StateResets parent) {
        this.parent = parent;
    }

    /**
     * The resets of {@code scope}, created on first use: when the scope closes, every reset
     * it sees runs (the suite's, the enclosing scopes' in a test run by the JUnit extension,
     * and its own). In plain code they run as the scope's closer {@code state resets}, at the
     * point of the teardown order where this was first called (call it first to reset last).
     */
    public static StateResets in(IsolationScope scope) {
        return scope.attachment(StateResets.class, () -> {
            Optional<ScopeHost> host = ScopeHost.of(scope);
            StateResets parent = host.flatMap(ScopeHost::enclosingScope).map(StateResets::in).orElse(null);
            StateResets resets = new StateResets(parent);
            if (host.isEmpty()) { // the JUnit extension resets after closing the scope
                scope.onClose("state resets", resets::resetAll);
            }
            return resets;
        });
    }


    /** Registers a reset for every test of the JVM. Registering the same one (or group owner) twice keeps one. */
    public static void registerForSuite(Resettable state) {
        add(SUITE, Objects.requireNonNull(state, "state"));
    }

    /** Registers {@code reset}, named {@code name} in messages, for every test of the JVM. */
    public static void registerForSuite(String name, Runnable reset) {
        registerForSuite(Resettable.of(name, reset));
    }

    /** Removes a suite registration (a {@link Resettable}, or the owner of a {@link Resettable#group}). */
    public static void deregisterForSuite(Object stateOrOwner) {
        SUITE.removeIf(r -> key(r) == stateOrOwner);
    }

    /** Runs every suite-level reset now (plain code between its scopes; the JUnit extension does it after each test). */
    public static void resetSuite() {
        reset(members(SUITE));
    }

    /** Registers a reset for this test (or class): see the class description for when it runs. */
    public StateResets register(Resettable state) {
        add(own, Objects.requireNonNull(state, "state"));
        return this;
    }

    /** Registers {@code reset}, named {@code name} in messages, for this test (or class). */
    public StateResets register(String name, Runnable reset) {
        return register(Resettable.of(name, reset));
    }

    /** Every reset this instance sees: the suite's, the enclosing scopes', its own (groups unfolded). */
    public List<Resettable> all() {
        List<Resettable> all = new ArrayList<>(members(SUITE));
        for (StateResets r = this; r != null; r = r.parent) {
            all.addAll(members(r.own));
        }
        return all;
    }

    /**
     * Runs every reset this instance sees now; each runs even when an earlier one fails.
     *
     * @throws IllegalStateException naming every reset that failed, each attached as a suppressed
     *     {@link CloserFailedException} whose cause is what it threw
     */
    public void resetAll() {
        reset(all());
    }

    // ---- shared with CircuitBreakers ----

    static void add(List<Resettable> list, Resettable registration) {
        if (list.stream().noneMatch(r -> key(r) == key(registration))) {
            list.add(registration);
        }
    }

    static Object key(Resettable registration) {
        return registration instanceof ResettableGroup g ? g.owner() : registration;
    }

    /** The registrations with every group unfolded into its members now. */
    static List<Resettable> members(Collection<Resettable> registrations) {
        List<Resettable> all = new ArrayList<>();
        for (Resettable r : registrations) {
            if (r instanceof ResettableGroup g) {
                all.addAll(g.now());
            } else {
                all.add(r);
            }
        }
        return all;
    }

    /** Resets each; collects the failures and throws them together. */
    static void reset(List<Resettable> all) {
        List<CloserFailedException> failures = new ArrayList<>();
        for (Resettable r : all) {
            try {
                r.reset();
            } catch (RuntimeException | LinkageError e) {
                failures.add(new CloserFailedException("reset of " + r.name(), e));
            }
        }
        if (!failures.isEmpty()) {
            StringBuilder text = new StringBuilder().append(failures.size()).append(" of ").append(all.size())
                    .append(all.size() == 1 ? " reset" : " resets").append(" failed");
            failures.forEach(f -> text.append(System.lineSeparator()).append("  - ").append(f.getMessage()));
            IllegalStateException failure = new IllegalStateException(text.toString());
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
