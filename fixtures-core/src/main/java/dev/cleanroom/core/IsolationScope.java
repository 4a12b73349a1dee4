package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.internal.TeardownRunner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * A named unit of isolation whose resources are torn down in a fixed order.
 *
 * <p>Every resource registers its closer when it is created. {@link #close()} runs the
 * closers in reverse order of registration, each on a teardown thread with its own
 * deadline. Every closer runs even when an earlier one fails or hangs; the failures are
 * collected and thrown together as one {@link ScopeTeardownException}. An
 * {@link OutOfMemoryError} is rethrown at once; any other {@link VirtualMachineError} lets
 * the other closers run and is then rethrown, with their failures suppressed. Closing
 * twice is harmless.
 *
 * <p>The JUnit extensions open one scope per test method and one per test class; the
 * same class is usable in plain code:
 *
 * <pre>{@code
 * try (IsolationScope scope = IsolationScope.open("complex_test")) {
 *     ExecutorService pool = scope.register("worker pool", Executors.newFixedThreadPool(2), ExecutorService::shutdownNow);
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: resources may be registered from any thread.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class IsolationScope implements AutoCloseable {

    /** Deadline for one closer when the scope was opened without one. */
    public static final Duration DEFAULT_CLOSER_DEADLINE = Duration.ofSeconds(30);

    /** Something that releases a resource; may throw anything. */
    @FunctionalInterface
    @API(status = EXPERIMENTAL, since = "0.1")
    public interface Closer {
        void close() throws Exception;
    }

    /** Releases a resource of type {@code T}, for {@link #register(String, Object, ResourceCloser)}. */
    @FunctionalInterface
    @API(status = EXPERIMENTAL, since = "0.1")
    public interface ResourceCloser<T> {
        void close(T resource) throws Exception;
    }

    private final String name;
    private final Duration defaultDeadline;
    private final Deque<TeardownRunner.Step> steps = new ArrayDeque<>();
    private final Map<Class<?>, Object> attachments = new HashMap<>(); // guarded by itself
    private final Object making = new Object();
    private boolean closed; // guarded by this

    private IsolationScope(String name, Duration defaultDeadline) {
        this.name = requireText(name, "name");
        this.defaultDeadline = requirePositive(defaultDeadline);
    }

    /** Opens a scope whose closers each get {@link #DEFAULT_CLOSER_DEADLINE}. */
    public static IsolationScope open(String name) {
        return new IsolationScope(name, DEFAULT_CLOSER_DEADLINE);
    }

    /** Opens a scope whose closers each get {@code closerDeadline} unless registered with their own. */
    public static IsolationScope open(String name, Duration closerDeadline) {
        return new IsolationScope(name, closerDeadline);
    }

    /** The name given at {@link #open(String)}; it appears in every teardown message. */
    public String name() {
        return name;
    }

    /**
     * The object of {@code type} attached to this scope, made by {@code factory} on first
     * use: one per scope, so that a test, its services and plain code share it (the scope's
     * {@link TaskTracker}, {@link EventCoordinator}, {@link StateResets} and {@link CircuitBreakers} are kept this
     * way). Concurrent callers get the same instance; the factory runs once, and may attach
     * other types and register closers.
     */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    public <T> T attachment(Class<T> type, Supplier<? extends T> factory) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        synchronized (attachments) {
            Object existing = attachments.get(type);
            if (existing != null) {
                return type.cast(existing);
            }
        }
        synchronized (making) { // one factory at a time per scope; it may attach other types (not under the map's lock)
            synchronized (attachments) {
                Object existing = attachments.get(type);
                if (existing != null) {
                    return type.cast(existing);
                }
            }
            T made = Objects.requireNonNull(factory.get(), "the factory returned null");
            synchronized (attachments) {
                attachments.put(type, made);
            }
            return made;
        }
    }

    /** The object of {@code type} attached to this scope, if one was made. */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    public <T> Optional<T> attachment(Class<T> type) {
        synchronized (attachments) {
            return Optional.ofNullable(type.cast(attachments.get(type)));
        }
    }

    /** Registers {@code resource} to be closed with {@link AutoCloseable#close()}; returns it. */
    public <T extends AutoCloseable> T register(String description, T resource) {
        Objects.requireNonNull(resource, "resource");
        onClose(description, defaultDeadline, resource::close);
        return resource;
    }

    /** Registers {@code resource} to be released by {@code closer}; returns it. */
    public <T> T register(String description, T resource, ResourceCloser<? super T> closer) {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(closer, "closer");
        onClose(description, defaultDeadline, () -> closer.close(resource));
        return resource;
    }

    /** Registers an action to run at teardown, with the scope's default deadline. */
    public void onClose(String description, Closer closer) {
        onClose(description, defaultDeadline, closer);
    }

    /**
     * Registers an action to run at teardown with its own deadline. If the scope is already
     * closed, the action runs at once on the calling thread and an
     * {@link IllegalStateException} reports the late registration.
     */
    public void onClose(String description, Duration deadline, Closer closer) {
        TeardownRunner.Step step = new TeardownRunner.Step(requireText(description, "description"),
                requirePositive(deadline), Objects.requireNonNull(closer, "closer"));
        synchronized (this) {
            if (!closed) {
                steps.push(step);
                return;
            }
        }
        IllegalStateException late = new IllegalStateException("Scope '" + name + "' is already closed, so '"
                + description + "' was closed at once. Register resources before the test (or scope) ends.");
        try {
            closer.close();
        } catch (Exception e) {
            late.addSuppressed(e);
        }
        throw late;
    }

    /** Whether {@link #close()} has started. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** How many closers are waiting to run. */
    public synchronized int pendingClosers() {
        return steps.size();
    }

    /**
     * Runs every registered closer in reverse order of registration, each within its
     * deadline. Closing an already closed scope does nothing.
     *
     * @throws ScopeTeardownException if any closer failed or overran its deadline; every
     *     failure is attached as suppressed, in the order the closers ran
     */
    @Override
    public void close() {
        List<TeardownRunner.Step> toRun;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toRun = new ArrayList<>(steps); // a stack: iteration order is last registered first
            steps.clear();
        }
        List<Throwable> failures = TeardownRunner.runAll(toRun);
        if (!failures.isEmpty()) {
            throw new ScopeTeardownException(name, toRun.size(), failures);
        }
    }

    @Override
    public String toString() {
        return "IsolationScope[" + name + "]";
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    private static Duration requirePositive(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline);
        }
        return deadline;
    }
}
