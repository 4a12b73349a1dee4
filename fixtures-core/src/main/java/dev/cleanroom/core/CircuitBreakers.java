package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.apiguardian.api.API.Status.STABLE;

import dev.cleanroom.core.internal.Resilience4jBreakers;
import dev.cleanroom.core.internal.ScopeAttachments;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
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
 * Resilience4j registries (optional dependency {@code resilience4j-circuitbreaker}) are
 * supported directly: every breaker of the registry, including ones created later, is
 * moved to CLOSED through a state transition (which also cancels a pending automatic
 * OPEN&#8594;HALF_OPEN transition) and then reset. Anything else implements
 * {@link Resettable}.
 *
 * <pre>{@code
 * @BeforeAll
 * static void breakers(CircuitBreakers breakers) {
 *     breakers.registerResilience4j(registry); // every test of this class starts with them CLOSED
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
@API(status = STABLE, since = "0.1")
public final class CircuitBreakers {

    private static final List<Source> SUITE = new CopyOnWriteArrayList<>();

    private final CircuitBreakers parent; // class level for a test; null otherwise
    private final List<Source> own = new CopyOnWriteArrayList<>();

    private record Source(Object key, Supplier<List<Resettable>> breakers) {}

    private CircuitBreakers(CircuitBreakers parent) {
        this.parent = parent;
    }

    /** The breakers of {@code scope}, created on first use; its registrations are reset again when the scope closes. */
    public static CircuitBreakers in(IsolationScope scope) {
        return attach(scope, null);
    }

    /** Used by the JUnit extension: a test's breakers see its class's registrations. */
    @API(status = INTERNAL, since = "0.1")
    public static CircuitBreakers attach(IsolationScope scope, CircuitBreakers parent) {
        return ScopeAttachments.computeIfAbsent(scope, CircuitBreakers.class, () -> {
            CircuitBreakers breakers = new CircuitBreakers(parent);
            scope.onClose("circuit breakers (reset)", breakers::resetOwn);
            return breakers;
        });
    }

    /** Registers a breaker of your own for every test of the JVM; resets it now. */
    public static void registerForSuite(Resettable breaker) {
        addTo(SUITE, new Source(Objects.requireNonNull(breaker, "breaker"), () -> List.of(breaker)));
    }

    /**
     * Registers every breaker of a Resilience4j registry for every test of the JVM; resets them now.
     * (Not an overload of {@link #registerForSuite(Resettable)}: javac would then need
     * Resilience4j on the class path of every caller, also of those who do not use it.)
     */
    public static void registerResilience4jForSuite(io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry registry) {
        addTo(SUITE, new Source(Objects.requireNonNull(registry, "registry"), Resilience4jBreakers.of(registry)));
    }

    /** Removes a suite registration (a {@link Resettable} or a registry). */
    public static void deregisterForSuite(Object breakerOrRegistry) {
        SUITE.removeIf(s -> s.key() == breakerOrRegistry);
    }

    /** Resets every suite-level breaker. Called by the extension before every test. */
    @API(status = INTERNAL, since = "0.1")
    public static void resetSuite() {
        resetAll(SUITE);
    }

    /** Registers a breaker for this test (or class); resets it now. */
    public CircuitBreakers register(Resettable breaker) {
        addTo(own, new Source(Objects.requireNonNull(breaker, "breaker"), () -> List.of(breaker)));
        return this;
    }

    /**
     * Registers every breaker of a Resilience4j registry (including ones created later); resets them now.
     * (Not an overload of {@link #register(Resettable)}: javac would then need Resilience4j on
     * the class path of every caller, also of those who do not use it.)
     */
    public CircuitBreakers registerResilience4j(io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry registry) {
        addTo(own, new Source(Objects.requireNonNull(registry, "registry"), Resilience4jBreakers.of(registry)));
        return this;
    }

    /** Registers one Resilience4j breaker; resets it now. */
    public CircuitBreakers registerResilience4j(io.github.resilience4j.circuitbreaker.CircuitBreaker breaker) {
        Resettable resettable = Resilience4jBreakers.of(Objects.requireNonNull(breaker, "breaker"));
        addTo(own, new Source(breaker, () -> List.of(resettable)));
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

    private static void addTo(List<Source> list, Source source) {
        for (Resettable r : source.breakers().get()) {
            r.reset();
        }
        if (list.stream().noneMatch(s -> s.key() == source.key())) {
            list.add(source);
        }
    }

    private static void resetAll(Collection<Source> sources) {
        List<Resettable> all = new ArrayList<>();
        collect(sources, all);
        RuntimeException failure = null;
        for (Resettable r : all) {
            try {
                r.reset();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new IllegalStateException("Could not reset " + r.name() + ": " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void collect(Collection<Source> sources, List<Resettable> into) {
        for (Source s : sources) {
            into.addAll(s.breakers().get());
        }
    }
}
