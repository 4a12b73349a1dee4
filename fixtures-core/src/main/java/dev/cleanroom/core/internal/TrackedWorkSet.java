package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Leak;
import dev.cleanroom.core.LeakPolicy;
import dev.cleanroom.core.spi.Park;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * What one {@code TaskTracker} tracks (executors, threads, futures, submitted tasks, the
 * uncaught exceptions of its threads) and the bounded stop sequence that ends it all and
 * finds the leaks. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrackedWorkSet {

    private record Tracked<W>(W work, String name, List<StackTraceElement> creation, boolean ownThreads) {}

    private final String owner;
    private final HelperSettings settings;
    private final ThreadDiff threadDiff; // null: someone else diffs threads
    private final List<Tracked<ExecutorService>> executors = new CopyOnWriteArrayList<>();
    private final List<Tracked<Thread>> threads = new CopyOnWriteArrayList<>();
    private final List<TrackedFuture<?>> futures = new CopyOnWriteArrayList<>();
    private final TrackedTasks tasks;
    private final ExceptionBucket exceptions;
    private final Object lock = new Object();
    private final TrackedFuture.Owner futureOwner = new FutureOwner();
    private boolean closed; // guarded by lock
    private ExecutorService asyncPool; // guarded by lock
    private volatile List<Leak> leaks = List.of();
    private volatile List<Thread> survivors = List.of();

    /** {@code threadDiff}: the scope's thread leak check, ended after the tracked work stops (null: none). */
    public TrackedWorkSet(String owner, HelperSettings settings, ThreadDiff threadDiff) {
        this.owner = owner;
        this.settings = settings;
        this.threadDiff = threadDiff;
        this.tasks = new TrackedTasks(owner);
        this.exceptions = new ExceptionBucket(owner);
        if (threadDiff != null) {
            threadDiff.alsoOurs(t -> threads.stream().anyMatch(tracked -> tracked.work() == t));
        }
    }

    public TrackedTasks tasks() {
        return tasks;
    }

    /** Daemon platform threads named {@code name-1}, {@code name-2}, ..., each tracked. */
    public ThreadFactory platformThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread(thread, TrackedWork.here());
        };
    }

    /** Virtual threads named {@code name-1}, {@code name-2}, ..., each tracked (Java 21+). */
    public ThreadFactory virtualThreads(String name) {
        ThreadFactory virtual = VirtualThreads.factory(name + "-");
        return task -> thread(virtual.newThread(task), TrackedWork.here());
    }

    /** Tracks {@code executor}; if the set is closed, shuts it down now and throws. */
    public <E extends ExecutorService> E executor(E executor, String name, boolean ownThreads) {
        synchronized (lock) {
            if (!closed) {
                executors.add(new Tracked<>(executor, name, TrackedWork.here(), ownThreads));
                return executor;
            }
        }
        executor.shutdownNow();
        throw closedError("executor '" + name + "'");
    }

    /** Tracks {@code thread}, made at {@code creation}. */
    public Thread thread(Thread thread, List<StackTraceElement> creation) {
        synchronized (lock) {
            if (closed) {
                throw closedError("thread '" + thread.getName() + "'");
            }
            if (threads.size() >= 256 && threads.size() % 256 == 0) { // per-task executors make many
                threads.removeIf(t -> t.work().getState() == Thread.State.TERMINATED);
            }
            threads.add(new Tracked<>(thread, thread.getName(), creation, true));
        }
        TrackedWork.created(thread, creation);
        UncaughtExceptions.track(thread, exceptions);
        return thread;
    }

    /** A new tracked future, made at {@code creation}. */
    public <T> TrackedFuture<T> future(List<StackTraceElement> creation) {
        TrackedFuture<T> future = new TrackedFuture<>(futureOwner, creation);
        futureOwner.adopt(future);
        return future;
    }

    /** The pool that runs supplyAsync, runAsync and async stages. */
    public Executor asyncExecutor() {
        synchronized (lock) {
            if (closed) {
                throw new RejectedExecutionException("The task tracker of " + owner + " is closed: the test ended, "
                        + "so no more async work is accepted.");
            }
            if (asyncPool == null) {
                asyncPool = Executors.newCachedThreadPool(platformThreads("async"));
                executors.add(new Tracked<>(asyncPool, "async pool", TrackedWork.here(), true));
            }
            return asyncPool;
        }
    }

    public List<Leak> leaks() {
        return leaks;
    }

    public List<Thread> survivors() {
        return survivors;
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    public IllegalStateException closedError(String what) {
        return new IllegalStateException("The task tracker of " + owner + " is closed (its test or scope ended), so "
                + what + " cannot be tracked any more; it was not started. Create work before the test ends.");
    }

    /**
     * Cancel, shutdown, await, shutdownNow, interrupt, join; then the leaks (none with
     * {@code cleanroom.leaks=off}); an empty list if already closed. Before the cancel, a
     * pending future nobody waited for gets {@code cleanroom.leaks.linger} to complete; if
     * it does not, it is reported as never awaited ({@code cleanroom.leaks.unawaited}).
     */
    public List<Leak> close() {
        synchronized (lock) {
            if (closed) {
                return List.of();
            }
            closed = true;
        }
        Duration deadline = settings.taskDeadline();
        boolean interrupted = false;
        tasks.stopping();
        List<TrackedFuture<?>> neverAwaited = new ArrayList<>();
        if (settings.unawaited() != LeakPolicy.OFF) {
            for (TrackedFuture<?> future : futures) {
                if (future.neverAwaited()) {
                    neverAwaited.add(future);
                }
            }
        }
        if (!neverAwaited.isEmpty()) {
            // work whose end the test saw otherwise (a barrier it signalled) may be completing its future right now
            try {
                Park.untilDone(CompletableFuture.allOf(neverAwaited.toArray(new CompletableFuture<?>[0])),
                        settings.linger());
            } catch (InterruptedException e) {
                interrupted = true;
            }
            neverAwaited.removeIf(TrackedFuture::isDone);
        }
        for (TrackedFuture<?> future : futures) {
            if (!future.isDone()) {
                future.endsAtTeardown(); // all first: cancelling one fails its dependent stages, which are not lost failures
            }
        }
        for (TrackedFuture<?> future : futures) {
            if (!future.isDone()) {
                future.cancel(true);
            }
        }
        for (Tracked<ExecutorService> e : executors) {
            e.work().shutdown();
        }
        long until = System.nanoTime() + deadline.toNanos();
        for (Tracked<ExecutorService> e : executors) {
            interrupted |= await(e.work(), until);
        }
        for (Tracked<ExecutorService> e : executors) {
            if (!e.work().isTerminated()) {
                e.work().shutdownNow();
            }
        }
        for (Tracked<Thread> t : threads) {
            if (t.work().isAlive() && t.work() != Thread.currentThread()) {
                t.work().interrupt();
            }
        }
        until = System.nanoTime() + deadline.toNanos();
        for (Tracked<Thread> t : threads) {
            interrupted |= join(t.work(), until);
        }
        for (Tracked<ExecutorService> e : executors) {
            interrupted |= await(e.work(), until);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<Leak> found = collect(deadline);
        for (TrackedFuture<?> future : neverAwaited) {
            found.add(new Leak(Leak.Kind.NEVER_AWAITED, owner, "a tracked future was started and never awaited: "
                    + "still pending when its test ended, and nothing waited for it (get with a timeout, join, "
                    + "a dependent stage), so the test passed without its outcome; it was cancelled at teardown. "
                    + "Wait for it before the test ends, or set cleanroom.leaks.unawaited=warn to only warn",
                    List.of(), future.creation(), null));
        }
        leaks = settings.leaks() == LeakPolicy.OFF ? List.of() : List.copyOf(found);
        return leaks;
    }

    private List<Leak> collect(Duration deadline) {
        List<Leak> found = new ArrayList<>();
        List<Thread> stubborn = new ArrayList<>();
        for (Tracked<Thread> t : threads) {
            Thread thread = t.work();
            if (thread.isAlive() && thread != Thread.currentThread()) {
                stubborn.add(thread);
                ThreadLeaks.markReported(thread);
                found.add(new Leak(Leak.Kind.TASK, owner, "thread '" + thread.getName() + "' (" + thread.getState()
                        + (VirtualThreads.isVirtual(thread) ? ", virtual" : "") + ") survived interruption: still "
                        + "running " + deadline.toMillis() + " ms after it was interrupted at teardown; it is "
                        + "quarantined until it ends", Arrays.asList(thread.getStackTrace()), t.creation(), null));
            }
        }
        for (Tracked<ExecutorService> e : executors) {
            if (!e.work().isTerminated() && !e.ownThreads()) {
                found.add(new Leak(Leak.Kind.TASK, owner, "executor '" + e.name() + "' still has running tasks after "
                        + "shutdown, " + deadline.toMillis() + " ms of await, shutdownNow and " + deadline.toMillis()
                        + " ms more", List.of(), e.creation(), null));
            }
        }
        for (TrackedFuture<?> future : futures) {
            if (future.unreadFailure()) {
                found.add(new Leak(Leak.Kind.UNREAD_FAILURE, owner, "a tracked future completed exceptionally and "
                        + "nobody read its outcome (get, join, a dependent stage or whenComplete would have)",
                        List.of(), future.creation(), future.failure()));
            }
        }
        found.addAll(tasks.leaks());
        found.addAll(exceptions.drain());
        if (threadDiff != null) {
            found.addAll(threadDiff.end(owner));
        }
        survivors = List.copyOf(stubborn);
        return found;
    }

    private final class FutureOwner implements TrackedFuture.Owner {
        @Override
        public void adopt(TrackedFuture<?> future) {
            synchronized (lock) {
                if (!closed) {
                    futures.add(future);
                }
            }
        }

        @Override
        public Executor asyncExecutor() {
            return TrackedWorkSet.this.asyncExecutor();
        }
    }

    private static boolean await(ExecutorService executor, long untilNanos) {
        try {
            executor.awaitTermination(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static boolean join(Thread thread, long untilNanos) {
        if (thread == Thread.currentThread()) {
            return false;
        }
        try {
            long millis = TimeUnit.NANOSECONDS.toMillis(untilNanos - System.nanoTime());
            if (millis > 0) {
                thread.join(millis);
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }
}
