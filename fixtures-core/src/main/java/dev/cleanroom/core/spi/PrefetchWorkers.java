package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.internal.ThreadLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apiguardian.api.API;

/**
 * The threads that prepare resources for the {@link PrefetchPool}s of one shared server.
 * Which pool gets a free thread is decided when the thread becomes free, not when the work
 * was asked for: a pool with a test waiting on it always goes first (the longest waiting
 * first), prefetch work only after that. With two or more threads, one is kept for
 * waiting tests, so prefetching never occupies every thread.
 *
 * <p>Size it to what the server and the machine can do in parallel; {@link #defaultConcurrency()}
 * is a sensible start. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PrefetchWorkers implements AutoCloseable {

    final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final List<PrefetchPool<?>> pools = new ArrayList<>(); // guarded by lock
    private final List<Thread> threads = new ArrayList<>();
    private final int concurrency;
    private final int prefetchLimit;
    private int prefetching; // guarded by lock: threads busy with prefetch (no test waiting) work
    private int next; // guarded by lock: round-robin start for prefetch work
    private boolean closed; // guarded by lock

    /**
     * Starts {@code concurrency} daemon threads named {@code threadNamePrefix + n}.
     *
     * @param threadNamePrefix e.g. {@code "cleanroom-postgres-prepare-"}
     * @param concurrency how many preparations may run at once, at least 1
     */
    public PrefetchWorkers(String threadNamePrefix, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.concurrency = concurrency;
        this.prefetchLimit = concurrency == 1 ? 1 : concurrency - 1;
        for (int i = 1; i <= concurrency; i++) {
            Thread t = new Thread(ThreadLeaks.SHARED_SERVER_GROUP, this::run, threadNamePrefix + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * A default for preparations that mostly wait on a server of this machine: the number
     * of available processors, at least 2 (one for waiting tests, one for prefetching) and
     * at most 8.
     */
    public static int defaultConcurrency() {
        return Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /** How many preparations may run at once. */
    public int concurrency() {
        return concurrency;
    }

    void register(PrefetchPool<?> pool) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("These prefetch workers are closed");
            }
            pools.add(pool);
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void unregister(PrefetchPool<?> pool) { // holding lock
        pools.remove(pool);
    }

    /** A pool's need changed. Holding {@link #lock}. */
    void changed() {
        work.signalAll();
    }

    private void run() {
        while (true) {
            PrefetchPool<?>.Job job;
            lock.lock();
            try {
                while ((job = nextJob()) == null) {
                    if (closed) {
                        return;
                    }
                    long recheck = recheckNanos();
                    if (recheck > 0) {
                        work.awaitNanos(recheck); // a waiting test relies on an expected return: look again if it is late
                    } else {
                        work.await(); // our own thread: a plain wait
                    }
                }
                if (!job.urgent()) {
                    prefetching++;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                job.run();
            } finally {
                lock.lock();
                try {
                    if (!job.urgent()) {
                        prefetching--;
                    }
                    work.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** The shortest re-check interval any pool asks for, -1 for none. Holding lock. */
    private long recheckNanos() {
        long min = -1;
        for (PrefetchPool<?> pool : pools) {
            long r = pool.recheckNanos();
            if (r > 0 && (min < 0 || r < min)) {
                min = r;
            }
        }
        return min;
    }

    /** Waiting tests first (the longest waiting first), then prefetch work round robin. Holding lock. */
    private PrefetchPool<?>.Job nextJob() {
        if (closed) {
            return null;
        }
        PrefetchPool<?> urgent = null;
        for (PrefetchPool<?> pool : pools) {
            if (pool.uncoveredWaiters() > 0 && (urgent == null || pool.oldestWait() < urgent.oldestWait())) {
                urgent = pool;
            }
        }
        if (urgent != null) {
            return urgent.startJob(true);
        }
        if (prefetching >= prefetchLimit) {
            return null;
        }
        for (int i = 0; i < pools.size(); i++) {
            PrefetchPool<?> pool = pools.get((next + i) % pools.size());
            if (pool.prefetchDeficit() > 0) {
                next = (next + i + 1) % pools.size();
                return pool.startJob(false);
            }
        }
        return null;
    }

    /**
     * Stops the threads once their current preparation is done, waiting at most
     * {@code timeout}. Close the pools first: a pool left open gets no more work.
     */
    public void close(Duration timeout) {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@link #close(Duration)} with 30 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
