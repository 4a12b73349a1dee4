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
 *   <li><b>Depth follows demand</b> while the parallelism is unknown (see below). The pool
 *       keeps {@code depth} ready or in preparation. Whenever a test had to wait, the depth
 *       doubles (up to {@code maxDepth}). When the
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
 * <p><b>Sized by the tests running</b> once the pool knows how many tests run at once
 * ({@link #expectParallelism}, from JUnit's parallelism): it then makes at most
 * {@code parallelism + slack} resources (for a pool whose resources come back,
 * {@link Builder#reusable}: counting the ones tests hold and the ones on their way back;
 * else the ones ready ahead), and waiting takes no longer double anything. The slack starts
 * at 1 and is learned from the returns: about as many as are being reset at once (the time a
 * resource takes to come back over the interval between returns), at most
 * {@link #maxSlack}. A copy beyond the parallelism is made only when it would arrive
 * before the next expected return, and a waiting take is not given a new copy when a
 * return is due sooner than a preparation takes: once resources come back, reuse
 * dominates. The announced demand ({@link #expectDemand}) stays an upper bound.
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

    /**
     * Counts since the pool was made. {@code depth} is the most the pool keeps (ahead, or in
     * circulation for a {@linkplain Builder#reusable reusable} pool); {@code parallelism} is
     * 0 while unknown; {@code made} says why each prepared resource was made ("for
     * parallelism 4", "slack", "for waiting tests", "to replace ones not reused", "ahead").
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Stats(long prepared, long taken, long waited, long failures, long discarded, int ready, int inFlight,
                        int waiting, int depth, long averagePrepareNanos, long returned, int parallelism, int slack,
                        java.util.Map<String, Long> made) {}

    /** Why a preparation was started, for {@link Stats#made} and {@link Builder#onMade}. */
    static final String AHEAD = "ahead";
    static final String SLACK = "slack";
    static final String FOR_WAITING = "for waiting tests";
    static final String REPLACING = "to replace ones not reused";

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
    private final java.util.function.BiConsumer<String, Integer> onMade;
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
    // sizing by parallelism (all guarded by workers.lock)
    private int parallelism; // tests running at once; 0 unknown (then the depth follows waits, as before)
    private boolean reusable; // taken resources come back (returning/giveBack)
    private final ArrayDeque<Long> out = new ArrayDeque<>(); // when each resource held by a test was taken, oldest first
    private final ArrayDeque<Long> coming = new ArrayDeque<>(); // when each returning resource was announced
    private long holdNanos = -1; // average time from take to returning, -1 unknown
    private long resetNanos = -1; // average time from returning to giveBack, -1 unknown
    private long returnIntervalNanos = -1; // average time between returns, -1 unknown
    private long lastReturnAt;
    private long madeForParallelism; // started while fewer than the parallelism existed
    private long lost; // announced returns that did not come back
    private long replaced;
    private final java.util.Map<String, Long> made = new java.util.LinkedHashMap<>();

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
        this.reusable = b.reusable;
        this.parallelism = b.parallelism;
        this.onMade = b.onMade;
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
            if (result != null) {
                held(result);
            } else {
                waited++;
                if (parallelism == 0) { // unknown: tests outran preparation (and returns), follow them
                    depth = Math.min(maxDepth, Math.max(1, depth * 2));
                }
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
                out.pollLast(); // counted as held when it was handed over
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
     * How many tests run at once (JUnit's parallelism; 1 without parallel execution),
     * times how many resources of this pool one test takes: from now on the pool makes at
     * most that plus a small learned slack (see the class comment). The largest value
     * announced counts (runs of one JVM share a pool).
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public void expectParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        workers.lock.lock();
        try {
            this.parallelism = Math.max(this.parallelism, parallelism);
            workers.changed();
        } finally {
            workers.lock.unlock();
        }
    }

    /**
     * Whether taken resources come back ({@link #returning}); a pool that learns they do not
     * (its reset is not possible) says so, and then keeps its depth ahead instead.
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public void reusable(boolean reusable) {
        workers.lock.lock();
        try {
            this.reusable = reusable;
            workers.changed();
        } finally {
            workers.lock.unlock();
        }
    }

    /** The most slack a pool sized by {@code parallelism} adds: half the parallelism, at least 2. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static int maxSlack(int parallelism) {
        return Math.max(2, (parallelism + 1) / 2);
    }

    /**
     * A taken resource is coming back: until {@link #giveBack} or {@link #returnFailed}, it
     * counts as one being prepared (so the pool does not make another in its place).
     */
    public void returning() {
        workers.lock.lock();
        try {
            returning++;
            reusable = true;
            long now = System.nanoTime();
            Long since = out.poll(); // the oldest taken: tests of one pool take about as long as each other
            if (since != null) {
                holdNanos = average(holdNanos, now - since);
            }
            if (lastReturnAt != 0) {
                returnIntervalNanos = average(returnIntervalNanos, now - lastReturnAt);
            }
            lastReturnAt = now;
            coming.add(now);
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
            Long since = coming.poll();
            if (since != null) {
                resetNanos = average(resetNanos, System.nanoTime() - since);
            }
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
            coming.poll();
            lost++;
            workers.changed();
        } finally {
            workers.lock.unlock();
        }
    }

    /** Counts, for summaries and tests. */
    public Stats stats() {
        workers.lock.lock();
        try {
            return new Stats(prepared, taken, waited, failures, discarded, ready.size(), inFlight, waiters.size(),
                    parallelism > 0 ? parallelism + slack() : depth, jobs == 0 ? 0 : prepareNanos / jobs, returned,
                    parallelism, parallelism > 0 ? slack() : 0, java.util.Map.copyOf(made));
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
        if (poison != null || closed) {
            return 0;
        }
        if (parallelism == 0) {
            return unserved() - inFlightUrgent - returning;
        }
        // sized by parallelism: batches are what is needed, so any preparation in flight covers a waiter,
        // and so does a held resource whose return is due before a new copy would be ready
        return unserved() - inFlight - returning - dueSoon(System.nanoTime());
    }

    /** The slack on top of the parallelism: 1 until returns are seen, then about as many as are being reset at once. */
    private int slack() {
        if (!reusable || resetNanos < 0 || returnIntervalNanos <= 0) {
            return 1;
        }
        long resettingAtOnce = (resetNanos + returnIntervalNanos - 1) / returnIntervalNanos;
        return (int) Math.max(1, Math.min(maxSlack(parallelism), resettingAtOnce));
    }

    /** The average time one preparation takes, -1 unknown. */
    private long prepareTime() {
        return jobs == 0 ? -1 : prepareNanos / jobs;
    }

    /**
     * Held resources whose return is expected before a preparation started now would end.
     * One overdue by more than a preparation's time no longer counts (its test runs long).
     */
    private int dueSoon(long now) {
        long prep = prepareTime();
        if (!reusable || holdNanos < 0 || prep < 0) {
            return 0;
        }
        long reset = Math.max(0, resetNanos);
        int n = 0;
        for (long since : out) {
            long in = since + holdNanos + reset - now;
            if (in < prep && in > -prep) {
                n++;
            }
        }
        return n;
    }

    /** Nanoseconds until the next return is expected, Long.MAX_VALUE if none is known. */
    private long nextReturnIn(long now) {
        if (returning > 0) {
            return coming.isEmpty() || resetNanos < 0 ? 0 : Math.max(0, coming.peek() + resetNanos - now);
        }
        if (holdNanos < 0 || out.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long in = out.peek() + holdNanos + Math.max(0, resetNanos) - now;
        return in < -Math.max(0, prepareTime()) ? Long.MAX_VALUE : Math.max(0, in); // long overdue: not expected
    }

    /** While a waiter relies on an expected return, the workers look again this often (the return may be late). */
    long recheckNanos() {
        return parallelism > 0 && unserved() > 0 ? TimeUnit.MILLISECONDS.toNanos(20) : -1;
    }

    /** What exists or is coming, against the parallelism: held (reusable pools), ready, being prepared, coming back. */
    private int live() {
        return (reusable ? out.size() : 0) + ready.size() + inFlight + returning;
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
        if (parallelism > 0) {
            return sizedDeficit();
        }
        long target = expected < 0 ? depth : returned > 0 ? Math.min(depth, expected) : Math.min(maxDepth, expected);
        return (int) Math.max(0, target + unserved() - ready.size() - inFlight - returning);
    }

    /**
     * Sized by parallelism: up to parallelism + slack (capped by the announced takes still
     * to come); a copy beyond the parallelism only if it would be ready before the next
     * expected return.
     */
    private int sizedDeficit() {
        long cap = parallelism + slack();
        long held = reusable ? out.size() + returning : 0;
        long target = expected < 0 ? cap : Math.min(cap, held + expected);
        int live = live();
        long deficit = target - live;
        if (deficit <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        if (reusable && live >= parallelism && prepareTime() >= 0 && nextReturnIn(now) < prepareTime()) {
            return 0; // a slack copy would arrive after the next return: reuse it instead
        }
        return (int) deficit;
    }

    /** Why a preparation of {@code count} starting now is made. Holding lock. */
    private String reason(boolean urgent, int count) {
        if (parallelism == 0) {
            return urgent ? FOR_WAITING : AHEAD;
        }
        if (urgent && live() >= parallelism + slack()) {
            return FOR_WAITING;
        }
        if (lost > replaced) {
            replaced += count;
            return REPLACING;
        }
        if (madeForParallelism < parallelism) {
            madeForParallelism += count;
            return "for parallelism " + parallelism;
        }
        return SLACK;
    }

    /** Urgent: a small batch for the waiting tests; else a large one towards the depth. */
    Job startJob(boolean urgent) {
        int count = urgent ? Math.max(1, Math.min(urgentBatch, uncoveredWaiters()))
                : Math.max(1, Math.min(maxBatch, prefetchDeficit()));
        String why = reason(urgent, count);
        inFlight += count;
        if (urgent) {
            inFlightUrgent += count;
        }
        return new Job(count, urgent, why);
    }

    /** One call of the preparer, run by a worker thread without the lock. */
    final class Job {
        private final int count;
        private final boolean urgent;
        private final String why;

        Job(int count, boolean urgent, String why) {
            this.count = count;
            this.urgent = urgent;
            this.why = why;
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
            int delivered = 0;
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
                    PrefetchPool.this.made.merge(why, (long) made.size(), Long::sum);
                    for (T item : made) {
                        deliver(item);
                    }
                    delivered = made.size();
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
            if (delivered > 0) { // not what a closed or failed pool discarded
                try {
                    onMade.accept(why, delivered);
                } catch (RuntimeException e) {
                    // counting must not lose a prepared resource
                }
            }
        }
    }

    private static long average(long average, long sample) {
        return average < 0 ? sample : (average * 3 + sample) / 4;
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

    /** A test holds {@code result} from now on (until it comes back); a failure is nothing held. Holding lock. */
    private void held(Object result) {
        if (reusable && !(result instanceof Failure)) {
            out.add(System.nanoTime());
        }
    }

    private void deliver(Object result) { // holding lock
        for (Waiter w : waiters) {
            if (w.result == null) {
                w.result = result;
                held(result); // handed over now, though the waiter may wake up later
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
        private boolean reusable;
        private int parallelism;
        private java.util.function.BiConsumer<String, Integer> onMade = (why, count) -> {};
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

        /**
         * Whether taken resources are given back ({@link #returning}, {@link #giveBack}); a
         * pool sized by parallelism then counts the ones tests hold (default false; the
         * first {@link #returning} also says so).
         */
        @API(status = EXPERIMENTAL, since = "0.1")
        public Builder<T> reusable(boolean reusable) {
            this.reusable = reusable;
            return this;
        }

        /**
         * Sized by {@code parallelism} tests at once from the start (as {@link PrefetchPool#expectParallelism}
         * right after building, but before the first preparation starts); 0 (default): not known yet.
         */
        @API(status = EXPERIMENTAL, since = "0.1")
        public Builder<T> parallelism(int parallelism) {
            this.parallelism = Math.max(0, parallelism);
            return this;
        }

        /**
         * Told, after each successful preparation, why it was made ("for parallelism 4",
         * "slack", "for waiting tests", "to replace ones not reused", "ahead") and how many it
         * made: for run summaries. Called on the worker thread, without the pool's lock.
         */
        @API(status = EXPERIMENTAL, since = "0.1")
        public Builder<T> onMade(java.util.function.BiConsumer<String, Integer> onMade) {
            this.onMade = Objects.requireNonNull(onMade, "onMade");
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
