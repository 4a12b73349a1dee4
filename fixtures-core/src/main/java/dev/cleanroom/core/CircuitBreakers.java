package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.internal.ScopeHost;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Circuit breakers that start every test CLOSED with fresh metrics, so that a breaker
 * opened by one test never fails the next.
 *
 * <ul>
 *   <li>{@link #registerForSuite} (static, e.g. from a {@code static} initializer or
 *       {@code @BeforeAll}): reset before every test of the JVM that uses {@code @Cleanroom}
 *       or a fixture annotation;</li>
 *   <li>{@link #register} on the instance a {@code @BeforeAll} method receives: reset before
 *       every test of that class;</li>
 *   <li>{@link #register} on the instance a test (or a service factory) receives: reset at
 *       once and again when the test ends.</li>
 * </ul>
 * A breaker is a {@link Resettable}, the general reset of state that {@link StateResets}
 * runs after each test; breakers are kept here because they are also reset before each test
 * and can be asserted closed. Resilience4j registries and breakers (optional
 * dependency {@code resilience4j-circuitbreaker}) become one through
 * {@link dev.cleanroom.core.resilience4j.Resilience4jBreakers}: every breaker of a registry,
 * including ones created later, is moved to CLOSED through a state transition (which also
 * cancels a pending automatic OPEN&#8594;HALF_OPEN transition) and then reset.
 *
 * <pre>{@code
 * @BeforeAll
 * static void breakers(CircuitBreakers breakers) {
 *     breakers.register(Resilience4jBreakers.of(registry)); // every test of this class starts with them CLOSED
 * }
 *
 * @Test
 * void chargesCard(CircuitBreakers breakers) {
 *     breakers.assertAllClosed();
 *     ...
 * }
 * }</pre>
 *
 * Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CircuitBreakers {

    private static final List<Resettable> SUITE = new CopyOnWriteArrayList<>();

    private final CircuitBreakers parent; // the enclosing scope's (a test's class); null otherwise
    private final List<Resettable> own = new CopyOnWriteArrayList<>();

    private CircuitBreakers(CircuitBreakers parent) {
        this.parent = parent;
    }

    /**
     * The breakers of {@code scope}, created on first use; its registrations are reset again
     * when the scope closes. In a test run by the JUnit extension they also see what was
     * registered on the enclosing scopes (the test's class, an outer class of a
     * {@code @Nested} class).
     */
    public static CircuitBreakers in(IsolationScope scope) {
        return scope.attachment(CircuitBreakers.class, () -> {
            CircuitBreakers parent = ScopeHost.of(scope).flatMap(ScopeHost::enclosingScope)
                    .map(CircuitBreakers::in).orElse(null);
            CircuitBreakers breakers = new CircuitBreakers(parent);
            scope.onClose("circuit breakers (reset)", breakers::resetOwn);
            return breakers;
        });
    }

    /**
     * Registers a breaker of your own for every test of the JVM; resets it now. Resilience4j:
     * {@code registerForSuite(Resilience4jBreakers.of(registry))}.
     */
    public static void registerForSuite(Resettable breaker) {
        addTo(SUITE, Objects.requireNonNull(breaker, "breaker"));
    }

    /** Removes a suite registration (a {@link Resettable}, or the owner of a {@link Resettable#group}). */
    public static void deregisterForSuite(Object breakerOrOwner) {
        SUITE.removeIf(r -> StateResets.key(r) == breakerOrOwner);
    }

    /**
     * Resets every suite-level breaker now: the JUnit extension does so before every test;
     * plain code calls it between its scopes.
     */
    public static void resetSuite() {
        resetAll(SUITE);
    }

    /**
     * Registers a breaker for this test (or class); resets it now. Resilience4j:
     * {@code register(Resilience4jBreakers.of(registryOrBreaker))}.
     */
    public CircuitBreakers register(Resettable breaker) {
        addTo(own, Objects.requireNonNull(breaker, "breaker"));
        return this;
    }

    /** Resets every breaker this instance sees: suite, class and its own. */
    public void resetAll() {
        resetAll(SUITE);
        resetOwnAndParents();
    }

    /** Every breaker this instance sees: suite, class and its own. */
    public List<Resettable> all() {
        List<Resettable> all = new ArrayList<>();
        collect(SUITE, all);
        for (CircuitBreakers b = this; b != null; b = b.parent) {
            collect(b.own, all);
        }
        return all;
    }

    /**
     * Asserts that every breaker this instance sees is CLOSED.
     *
     * @throws AssertionError naming every breaker that is not, with its state
     */
    public void assertAllClosed() {
        List<Resettable> open = all().stream().filter(r -> !r.isClosed()).toList();
        if (!open.isEmpty()) {
            throw new AssertionError(open.size() + " of " + all().size() + " circuit breakers are not CLOSED: "
                    + open.stream().map(r -> r.name() + " is " + r.state()).collect(Collectors.joining("; ")));
        }
    }

    /** Resets the breakers registered on this instance and its parents (not the suite). */
    void resetOwnAndParents() {
        for (CircuitBreakers b = this; b != null; b = b.parent) {
            resetAll(b.own);
        }
    }

    private void resetOwn() {
        resetAll(own);
    }

    private static void addTo(List<Resettable> list, Resettable registration) {
        StateResets.members(List.of(registration)).forEach(Resettable::reset);
        StateResets.add(list, registration);
    }

    private static void resetAll(Collection<Resettable> sources) {
        StateResets.reset(StateResets.members(sources));
    }

    private static void collect(Collection<Resettable> registrations, List<Resettable> into) {
        into.addAll(StateResets.members(registrations));
    }
}
