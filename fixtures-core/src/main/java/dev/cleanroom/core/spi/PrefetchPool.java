package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * Resources of one kind (a migrated schema, a topic of one shape) prepared ahead on
 * {@link PrefetchWorkers}, so that a test usually takes one without waiting.
 *
 * <ul>
 *   <li><b>Depth follows demand.</b> The pool keeps {@code depth} ready or in preparation.
 *       Whenever a test had to wait, the depth doubles (up to {@code maxDepth}). When the
 *       number of takes still to come is known ({@link #expectDemand}), the pool prepares
 *       that many ahead (up to {@code maxDepth}) and never more.</li>
 *   <li><b>A waiting test outranks prefetch work</b>, across all pools of the same workers,
 *       and is served in small batches ({@code urgentBatch}): a test that waits asks for
 *       a few, so the first waiter gets its resource after one small preparation, not
 *       after a large one; a prefetch batch already in flight does not make it wait for
 *       that batch (whichever arrives first is handed to the longest waiting test).
 *       Prefetch work asks for large batches ({@code maxBatch}), so that a server which
 *       is cheaper per item in large requests (Kafka) gets few, large ones.</li>
 *   <li><b>A failure is one result.</b> A transient failure fails one take (the test
 *       waiting longest, or else the next one) and the take after it tries again. A
 *       deterministic failure (say, a broken migration; any {@link Error}) is kept: every
 *       waiting and every later taker gets it at once, and nothing more is prepared.</li>
 *   <li><b>Bounded waits</b>: a take that times out says what it waited for, how long, and
 *       what it saw.</li>
 *   <li><b>Given back</b>: a taker may hand a resource back after resetting it
 *       ({@link #returning}, then {@link #giveBack} or {@link #returnFailed}); it goes
 *       to the longest waiting test, or to the ready stock. A resource on its way back
 *       counts as being prepared, and once resources come back the pool keeps only its
 *       depth ahead (no longer all announced takes), so few are made and many reused.</li>
 *   <li><b>Closing</b> discards (through the discard action) what was prepared but never
 *       taken, including what is still being prepared when it completes.</li>
 * </ul>
 *
 * <p>A test blocked in {@link #take} waits on a plain lock condition with a deadline, so
 * JUnit's {@code ForkJoinPool} does not start a compensating worker for it. Thread-safe.
 *
 * @param <T> what is prepared
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PrefetchPool<T> implements AutoCloseable {

    /** Prepares resources on a worker thread. */
    @FunctionalInterface
    @API(status = EXPERIMENTAL, since = "0.1")
    public interface Preparer<T> {
        /**
         * Prepares up to {@code count} resources (at least one; {@code count} is at most the
         * pool's {@code maxBatch}). Returns what it made; a failure is thrown, after the
         * preparer has removed whatever it made partly.
         */
        List<T> prepare(int count) throws Exception;
    }

    /** Counts since the pool was made. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Stats(long prepared, long taken, long waited, long failures, long discarded, int ready, int inFlight,
                        int waiting, int depth, long averagePrepareNanos, long returned) {}

    private record Failure(Throwable cause) {}

    private static final class Waiter {
        final long since = System.nanoTime();
        Object result; // T or Failure, once assigned
    }

    private final String what;
    private final PrefetchWorkers workers;
    private final Preparer<T> preparer;
    private final Consumer<? super T> discard;
    private final Predicate<Throwable> deterministic;
    private final BiFunction<Throwable, String, RuntimeException> failureForTaker;
    private final String timeoutSetting;
    private final int maxDepth;
    private final int maxBatch;
    private final int urgentBatch;
    private final Condition arrived; // of workers.lock
    // all below guarded by workers.lock
    private final ArrayDeque<Object> ready = new ArrayDeque<>(); // T or Failure, oldest first
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int depth;
    private int inFlight;
    private int inFlightUrgent; // the part of inFlight asked for by waiting tests
    private long expected = -1; // takes still to come, -1 unknown
    private Throwable poison;
    private Throwable lastFailure;
    private boolean closed;
    private long prepared;
    private long taken;
    private long waited;
    private long failures;
    private long discarded;
    private int returning; // taken resources on their way back
    private long returned;
    private int discarding; // made by preparations that completed after close, not discarded yet
    private long prepareNanos;
    private long jobs;

    private PrefetchPool(Builder<T> b) {
        this.what = b.what;
        this.workers = b.workers;
        this.preparer = b.preparer;
        this.discard = b.discard;
        this.deterministic = b.deterministic;
        this.failureForTaker = b.failureForTaker;
        this.timeoutSetting = b.timeoutSetting;
        this.maxDepth = Math.max(b.depth, b.maxDepth);
        this.maxBatch = b.maxBatch;
        this.urgentBatch = Math.min(b.maxBatch, b.urgentBatch);
        this.depth = b.depth;
        this.arrived = workers.lock.newCondition();
        workers.register(this);
    }

    /**
     * A pool of {@code what} (for messages, e.g. {@code "migrated schema from db/migration"})
     * prepared by {@code preparer} on {@code workers}. Preparation starts when it is built.
     */
    public static <T> Builder<T> builder(String what, PrefetchWorkers workers, Preparer<T> preparer) {
        return new Builder<>(what, workers, preparer);
    }

    /**
     * Takes the oldest prepared resource, waiting at most {@code timeout} for one.
     *
     * @param forWhom who asks, for messages (e.g. the test's name)
     * @throws RuntimeException the preparation's failure (through the pool's failure
     *     mapping), {@link WaitTimeoutException} on timeout, or {@link IllegalStateException} when the
     *     pool is closed
     */
    @SuppressWarnings("unchecked")
    public T take(Duration timeout, String forWhom) throws InterruptedException {
        Object result;
        workers.lock.lock();
        try {
            if (poison != null) {
                throw failureForTaker.apply(poison, forWhom);
            }
            if (closed) {
                throw new IllegalStateException("The pool of " + what + " is closed; " + forWhom + " cannot take one");
            }
            taken++;
            if (expected > 0) {
                expected--;
            } else if (expected == 0) {
                expected = -1; // more takes than announced: fall back to following demand
            }
            result = ready.poll();
            if (result == null) {
                waited++;
                depth = Math.min(maxDepth, Math.max(1, depth * 2)); // tests outran preparation (and returns)
                result = await(new Waiter(), timeout, forWhom);
            }
            workers.changed();
        } finally {
            workers.lock.unlock();
        }
        if (result instanceof Failure f) {
            throw failureForTaker.apply(f.cause(), forWhom);
        }
        return (T) result;
    }

    private Object await(Waiter waiter, Duration timeout, String forWhom) throws InterruptedException { // holding lock
        waiters.add(waiter);
        workers.changed();
        long nanos = timeout.toNanos();
        try {
            while (waiter.result == null) {
                if (nanos <= 0) {
                    throw timedOut(timeout, forWhom);
                }
                nanos = arrived.awaitNanos(nanos); // timed: parks without ForkJoinPool compensation
            }
            return waiter.result;
        } catch (InterruptedException e) {
            if (waiter.result != null && !(waiter.result instanceof Failure)) {
                ready.addFirst(waiter.result); // not lost: the next taker gets it
            }
            throw e;
        } finally {
            waiters.remove(waiter);
        }
    }

    private WaitTimeoutException timedOut(Duration timeout, String forWhom) {
        String avg = jobs == 0 ? "none prepared yet" : prepared + " prepared so far, "
                + TimeUnit.NANOSECONDS.toMillis(prepareNanos / jobs) + " ms each on average";
        String seen = "none became ready (" + inFlight + " being prepared, " + (waiters.size() - 1)
                + " other test(s) waiting, " + avg + (lastFailure != null ? ", last failure: " + lastFailure : "") + ")";
        String waitedFor = "a " + what + " for " + forWhom;
        return new WaitTimeoutException("Waited " + timeout.toMillis() + " ms for " + waitedFor + ", but " + seen + "."
                + (timeoutSetting != null ? " If the server is just slow, raise " + timeoutSetting + "." : ""),
                waitedFor, timeout, seen, null);
    }

    /**
     * Announces {@code count} more takes to come (e.g. the tests of the test plan that use
     * this pool): the pool then prepares that many ahead (up to {@code maxDepth}) and no more. More takes than announced make
     * the pool follow the observed demand again.
     */
    public void expectDemand(long count) {
        workers.lock.lock();
        try {
            expected = Math.max(0, expected) + Math.max(0, count);
            workers.changed();
        } finally {
            workers.lock.unlock();
        }
    }

    /**
     * A taken resource is coming back: until {@link #giveBack} or {@link #returnFailed}, it
     * counts as one being prepared (so the pool does not make another in its place).
     */
    public void returning() {
        workers.lock.lock();
        try {
            returning++;
            workers.changed();
        } finally {
            workers.lock.unlock();
        }
    }

    /**
     * Gives back a resource announced by {@link #returning}, reset by the caller so that it
     * is as good as a fresh one: the longest waiting taker gets it, or else the next one.
     * Returns false when the pool is closed or failed for good: the caller then releases it.
     */
    public boolean giveBack(T item) {
        Objects.requireNonNull(item, "item");
        workers.lock.lock();
        try {
            returning = Math.max(0, returning - 1);
            workers.changed();
            if (closed || poison != null) {
                return false;
            }
            returned++;
            deliver(item);
            return true;
        } finally {
            workers.lock.unlock();
        }
    }

    /** A resource announced by {@link #returning} does not come back (the caller released it). */
    public void returnFailed() {
        workers.lock.lock();
        try {
            returning = Math.max(0, returning - 1);
            workers.changed();
        } finally {
            workers.lock.unlock();
        }
    }

    /** Counts, for summaries and tests. */
    public Stats stats() {
        workers.lock.lock();
        try {
            return new Stats(prepared, taken, waited, failures, discarded, ready.size(), inFlight, waiters.size(), depth,
                    jobs == 0 ? 0 : prepareNanos / jobs, returned);
        } finally {
            workers.lock.unlock();
        }
    }

    // ---- called by the workers, holding workers.lock

    /**
     * Waiting tests that no urgent preparation in flight covers. Prefetch batches in flight
     * do not count: a waiter is not made to wait for a large batch when a small one serves it sooner.
     */
    int uncoveredWaiters() {
        return poison != null || closed ? 0 : unserved() - inFlightUrgent - returning;
    }

    /** Waiters not yet handed a result (a served one may not have woken up yet). */
    private int unserved() {
        int n = 0;
        for (Waiter w : waiters) {
            if (w.result == null) {
                n++;
            }
        }
        return n;
    }

    long oldestWait() {
        for (Waiter w : waiters) {
            if (w.result == null) {
                return w.since;
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * How many more to prepare: up to the depth (capped by the announced demand), plus the
     * uncovered waiters. Once resources come back, the announced demand no longer sets the
     * target: the takes still to come are served mostly by what comes back.
     */
    int prefetchDeficit() {
        if (poison != null || closed) {
            return 0;
        }
        long target = expected < 0 ? depth : returned > 0 ? Math.min(depth, expected) : Math.min(maxDepth, expected);
        return (int) Math.max(0, target + unserved() - ready.size() - inFlight - returning);
    }

    /** Urgent: a small batch for the waiting tests; else a large one towards the depth. */
    Job startJob(boolean urgent) {
        int count = urgent ? Math.max(1, Math.min(urgentBatch, uncoveredWaiters()))
                : Math.max(1, Math.min(maxBatch, prefetchDeficit()));
        inFlight += count;
        if (urgent) {
            inFlightUrgent += count;
        }
        return new Job(count, urgent);
    }

    /** One call of the preparer, run by a worker thread without the lock. */
    final class Job {
        private final int count;
        private final boolean urgent;

        Job(int count, boolean urgent) {
            this.count = count;
            this.urgent = urgent;
        }

        boolean urgent() {
            return urgent;
        }

        void run() {
            long start = System.nanoTime();
            List<T> made = null;
            Throwable failure = null;
            try {
                made = preparer.prepare(count);
                if (made == null || made.isEmpty()) {
                    failure = new IllegalStateException("The preparer of " + what + " returned nothing");
                }
            } catch (Throwable t) {
                failure = t;
            }
            List<T> toDiscard = new ArrayList<>();
            workers.lock.lock();
            try {
                inFlight -= count;
                if (urgent) {
                    inFlightUrgent -= count;
                }
                jobs++;
                prepareNanos += System.nanoTime() - start;
                if (failure != null) {
                    failed(failure, toDiscard);
                } else if (closed || poison != null) {
                    toDiscard.addAll(made);
                } else {
                    prepared += made.size();
                    for (T item : made) {
                        deliver(item);
                    }
                }
                discarding += toDiscard.size(); // close() waits until they are discarded too
                if (closed) {
                    arrived.signalAll(); // close() may be waiting for the last preparation
                }
                workers.changed();
            } finally {
                workers.lock.unlock();
            }
            discardAll(toDiscard, true);
        }
    }

    private void failed(Throwable failure, List<T> toDiscard) { // holding lock
        failures++;
        lastFailure = failure;
        if (closed) {
            return;
        }
        if (failure instanceof Error || deterministic.test(failure)) {
            if (poison == null) {
                poison = failure;
            }
            for (Waiter w : waiters) {
                if (w.result == null) {
                    w.result = new Failure(poison);
                }
            }
            drainReady(toDiscard);
            arrived.signalAll();
        } else {
            deliver(new Failure(failure)); // one result: one take fails, the next tries again
        }
    }

    private void deliver(Object result) { // holding lock
        for (Waiter w : waiters) {
            if (w.result == null) {
                w.result = result;
                arrived.signalAll();
                return;
            }
        }
        ready.add(result);
    }

    @SuppressWarnings("unchecked")
    private void drainReady(List<T> into) { // holding lock
        for (Object o; (o = ready.poll()) != null; ) {
            if (!(o instanceof Failure)) {
                into.add((T) o);
            }
        }
    }

    private void discardAll(List<T> items, boolean counted) {
        for (T item : items) {
            try {
                discard.accept(item);
            } catch (RuntimeException e) {
                // the discard action reports its own failures; one bad item must not keep the rest
            }
        }
        if (!items.isEmpty()) {
            workers.lock.lock();
            try {
                discarded += items.size();
                if (counted) {
                    discarding -= items.size();
                    arrived.signalAll();
                }
            } finally {
                workers.lock.unlock();
            }
        }
    }

    /**
     * Stops preparing, fails the tests still waiting, discards what is ready and waits at
     * most {@code timeout} for preparations in flight (each discards what it made when it
     * completes). Returns whether none was still in flight at the end.
     */
    public boolean close(Duration timeout) throws InterruptedException {
        List<T> toDiscard = new ArrayList<>();
        workers.lock.lock();
        try {
            if (!closed) {
                closed = true;
                for (Waiter w : waiters) {
                    if (w.result == null) {
                        w.result = new Failure(new IllegalStateException("The pool of " + what + " was closed while waiting"));
                    }
                }
                arrived.signalAll();
                drainReady(toDiscard);
                workers.changed();
            }
        } finally {
            workers.lock.unlock();
        }
        discardAll(toDiscard, false);
        long deadline = System.nanoTime() + timeout.toNanos();
        workers.lock.lock();
        try {
            while (inFlight > 0 || discarding > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                arrived.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            workers.unregister(this);
            return true;
        } finally {
            workers.lock.unlock();
        }
    }

    /** {@link #close(Duration)} with 30 seconds. */
    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return "PrefetchPool[" + what + "]";
    }

    /** Settings of a {@link PrefetchPool}. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static final class Builder<T> {
        private final String what;
        private final PrefetchWorkers workers;
        private final Preparer<T> preparer;
        private int depth = 2;
        private int maxDepth = 32;
        private int maxBatch = 1;
        private int urgentBatch = Integer.MAX_VALUE;
        private Consumer<? super T> discard = item -> {};
        private Predicate<Throwable> deterministic = t -> false;
        private BiFunction<Throwable, String, RuntimeException> failureForTaker;
        private String timeoutSetting;

        private Builder(String what, PrefetchWorkers workers, Preparer<T> preparer) {
            this.what = Objects.requireNonNull(what, "what");
            this.workers = Objects.requireNonNull(workers, "workers");
            this.preparer = Objects.requireNonNull(preparer, "preparer");
            this.failureForTaker = (t, taker) -> new IllegalStateException("Preparing a " + what + " for " + taker
                    + " failed: " + t, t);
        }

        /** How many to keep ready before any demand is seen (default 2; 0 prepares only for waiting takers). */
        public Builder<T> depth(int depth) {
            this.depth = Math.max(0, depth);
            return this;
        }

        /** The most the depth grows to when tests have to wait (default 32). */
        public Builder<T> maxDepth(int maxDepth) {
            this.maxDepth = Math.max(1, maxDepth);
            return this;
        }

        /** The most one preparer call is asked for (default 1). */
        public Builder<T> maxBatch(int maxBatch) {
            this.maxBatch = Math.max(1, maxBatch);
            return this;
        }

        /**
         * The most one preparer call for waiting tests is asked for (default: {@code maxBatch}).
         * Smaller serves the first waiting test sooner when a preparation's time grows with its count.
         */
        public Builder<T> urgentBatch(int urgentBatch) {
            this.urgentBatch = Math.max(1, urgentBatch);
            return this;
        }

        /** Releases a resource that was prepared but never taken (on close, or after a deterministic failure). */
        public Builder<T> discard(Consumer<? super T> discard) {
            this.discard = Objects.requireNonNull(discard, "discard");
            return this;
        }

        /** Which failures are deterministic (kept for every later taker); {@link Error}s always are. */
        public Builder<T> deterministic(Predicate<Throwable> deterministic) {
            this.deterministic = Objects.requireNonNull(deterministic, "deterministic");
            return this;
        }

        /**
         * The exception each taker gets for a preparation failure (a fresh one per taker, so
         * each test's stack trace is its own); given the failure and the taker's name.
         */
        public Builder<T> failureForTaker(BiFunction<Throwable, String, RuntimeException> failureForTaker) {
            this.failureForTaker = Objects.requireNonNull(failureForTaker, "failureForTaker");
            return this;
        }

        /** The setting key that a timeout message tells the user to raise. */
        public Builder<T> timeoutSetting(String key) {
            this.timeoutSetting = key;
            return this;
        }

        /** Builds the pool and starts preparing. */
        public PrefetchPool<T> build() {
            return new PrefetchPool<>(this);
        }
    }
}
