package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.apiguardian.api.API.Status.STABLE;

import dev.cleanroom.core.internal.HelperSettings;
import dev.cleanroom.core.internal.LeakReporting;
import dev.cleanroom.core.internal.ScopeAttachments;
import dev.cleanroom.core.internal.ThreadLeaks;
import dev.cleanroom.core.internal.TrackedFuture;
import dev.cleanroom.core.internal.TrackedWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Background work that cannot outlive its test. Executors, thread factories, threads,
 * scheduled tasks and {@link CompletableFuture}s made through a tracker, or handed to it,
 * are stopped when the test's scope closes, in a fixed, bounded order:
 * <ol>
 *   <li><b>cancel</b> unfinished tracked futures and pending scheduled tasks;</li>
 *   <li><b>shutdown</b> every executor;</li>
 *   <li><b>await</b> their termination ({@code cleanroom.tasks.deadline});</li>
 *   <li><b>shutdownNow</b> the ones still running;</li>
 *   <li><b>interrupt</b> every tracked thread still alive;</li>
 *   <li><b>join</b> them ({@code cleanroom.tasks.deadline} again).</li>
 * </ol>
 * What is still running then is reported as a leak, with the test's name, the thread's
 * stack and the stack of where it was created; a thread that survived interruption is
 * quarantined (later tests of the run fail, or are skipped with {@code cleanroom.leaks=warn},
 * until it ends). A tracked future that completed exceptionally and whose outcome nobody
 * read (no {@code get}, {@code join}, dependent stage, ...) is reported too: that is an
 * exception nobody would ever see.
 *
 * <p>In a test, declare a parameter of this type ({@code @Cleanroom} or any fixture
 * annotation); each test gets a fresh tracker. In plain code, {@link #in(IsolationScope)}.
 * Thread-safe.
 *
 * <pre>{@code
 * @Test
 * void pollsInBackground(TaskTracker tasks) {
 *     ScheduledExecutorService poller = tasks.newScheduledThreadPool("poller", 1);
 *     poller.scheduleAtFixedRate(this::poll, 0, 10, MILLISECONDS);
 *     ... // no cleanup code: the poller is stopped after the test
 * }
 * }</pre>
 */
@API(status = STABLE, since = "0.1")
public final class TaskTracker {

    private final String owner;
    private final HelperSettings settings;
    private final boolean reportOnClose;
    private final Set<Thread> baseline; // null: someone else diffs threads
    private final Predicate<Thread> ignored;
    private final List<Tracked<ExecutorService>> executors = new CopyOnWriteArrayList<>();
    private final List<Tracked<Thread>> threads = new CopyOnWriteArrayList<>();
    private final List<TrackedFuture<?>> futures = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final TrackedFuture.Owner futureOwner = new FutureOwner();
    private boolean closed; // guarded by lock
    private ExecutorService asyncPool; // guarded by lock
    private volatile List<Leak> leaks = List.of();
    private volatile List<Thread> survivors = List.of();

    private record Tracked<W>(W work, String name, List<StackTraceElement> creation, boolean ownThreads) {}

    private TaskTracker(String owner, HelperSettings settings, boolean reportOnClose, Set<Thread> baseline,
                        Predicate<Thread> ignored) {
        this.owner = owner;
        this.settings = settings;
        this.reportOnClose = reportOnClose;
        this.baseline = baseline;
        this.ignored = ignored;
    }

    /**
     * The tracker of {@code scope}, created on first use; it stops its work when the scope
     * closes (at the point of the teardown order where it was created). In plain code, the
     * tracker also reports threads started since its creation that are still alive when
     * it closes, so create it first:
     *
     * <pre>{@code
     * try (IsolationScope scope = IsolationScope.open("complex_test")) {
     *     TaskTracker tasks = TaskTracker.in(scope);
     *     ...
     * } // leaks: ScopeTeardownException with a LeakException (cleanroom.leaks=fail)
     * }</pre>
     */
    public static TaskTracker in(IsolationScope scope) {
        return ScopeAttachments.computeIfAbsent(scope, TaskTracker.class, () -> {
            HelperSettings settings = HelperSettings.from(HelperSettings.plainConfiguration());
            Set<Thread> baseline = settings.leaks() == LeakPolicy.OFF ? null : ThreadLeaks.snapshot();
            List<String> extra = settings.ignoreThreads() == null ? List.of() : List.of(settings.ignoreThreads());
            return register(scope, new TaskTracker(scope.name(), settings, true, baseline, ThreadLeaks.ignoring(extra)));
        });
    }

    /** Used by the JUnit extension, which diffs threads and reports leaks itself. */
    @API(status = INTERNAL, since = "0.1")
    public static TaskTracker attach(IsolationScope scope, String owner, HelperSettings settings) {
        return ScopeAttachments.computeIfAbsent(scope, TaskTracker.class,
                () -> register(scope, new TaskTracker(owner, settings, false, null, t -> true)));
    }

    private static TaskTracker register(IsolationScope scope, TaskTracker tracker) {
        Duration deadline = tracker.settings.taskDeadline().multipliedBy(2)
                .plus(tracker.settings.linger()).plusSeconds(2);
        scope.onClose("task tracker (stops executors, threads, futures)", deadline, tracker::close);
        return tracker;
    }

    /** A fixed pool of {@code threads} threads named {@code name-1}, {@code name-2}, ... */
    public ExecutorService newFixedThreadPool(String name, int threads) {
        return track(Executors.newFixedThreadPool(threads, threadFactory(name)), name, true);
    }

    /** A single-thread executor whose thread is named {@code name-1}. */
    public ExecutorService newSingleThreadExecutor(String name) {
        return track(Executors.newSingleThreadExecutor(threadFactory(name)), name, true);
    }

    /**
     * A scheduled pool; at teardown its delayed and periodic tasks are cancelled rather
     * than run.
     */
    public ScheduledExecutorService newScheduledThreadPool(String name, int threads) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, threadFactory(name));
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        return track(pool, name, true);
    }

    /**
     * A factory of daemon threads named {@code name-1}, {@code name-2}, ...; every thread
     * it makes is tracked (interrupted and joined at teardown), with the stack of where it
     * was made.
     */
    public ThreadFactory threadFactory(String name) {
        requireName(name);
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return adopt(thread, TrackedWork.here());
        };
    }

    /** Starts a tracked daemon thread named {@code name}. */
    public Thread startThread(String name, Runnable task) {
        Thread thread = new Thread(Objects.requireNonNull(task, "task"), requireName(name));
        thread.setDaemon(true);
        adopt(thread, TrackedWork.here());
        thread.start();
        return thread;
    }

    /** Runs {@code task} on the tracker's async pool; read the returned future, or its failure is reported. */
    public <T> CompletableFuture<T> supplyAsync(Supplier<T> task) {
        Objects.requireNonNull(task, "task");
        TrackedFuture<T> future = newFuture(TrackedWork.here());
        asyncExecutor().execute(() -> {
            if (future.isDone()) {
                return;
            }
            try {
                future.complete(task.get());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        return future;
    }

    /** Runs {@code task} on the tracker's async pool; read the returned future, or its failure is reported. */
    public CompletableFuture<Void> runAsync(Runnable task) {
        Objects.requireNonNull(task, "task");
        return supplyAsync(() -> {
            task.run();
            return null;
        });
    }

    /** Tracks an executor made elsewhere: shut down, awaited and, if need be, shut down now at teardown. */
    public <E extends ExecutorService> E track(E executor) {
        return track(executor, executor.getClass().getSimpleName(), false);
    }

    /**
     * Tracks a future made elsewhere. Use the returned future: reading it (get, join, a
     * dependent stage, ...) is what tells the tracker that a failure was seen. An
     * unfinished future is cancelled at teardown.
     */
    public <T> CompletableFuture<T> track(CompletableFuture<T> future) {
        Objects.requireNonNull(future, "future");
        TrackedFuture<T> tracked = newFuture(TrackedWork.here());
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                tracked.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
                        && failure.getCause() != null ? failure.getCause() : failure);
            } else {
                tracked.complete(value);
            }
        });
        tracked.onCancel(() -> future.cancel(true));
        return tracked;
    }

    /** Tracks a thread made elsewhere: interrupted and joined at teardown if still alive. */
    public Thread track(Thread thread) {
        return adopt(Objects.requireNonNull(thread, "thread"), TrackedWork.here());
    }

    /** The leaks found when this tracker closed (empty before, or with {@code cleanroom.leaks=off}). */
    public List<Leak> leaks() {
        return leaks;
    }

    /** Threads that survived interruption at teardown. */
    public List<Thread> survivors() {
        return survivors;
    }

    /** Whether the tracker has stopped its work (its scope closed). */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public String toString() {
        return "TaskTracker[" + owner + "]";
    }

    // ---- internals ----

    private <E extends ExecutorService> E track(E executor, String name, boolean ownThreads) {
        Objects.requireNonNull(executor, "executor");
        synchronized (lock) {
            if (!closed) {
                executors.add(new Tracked<>(executor, name, TrackedWork.here(), ownThreads));
                return executor;
            }
        }
        executor.shutdownNow();
        throw closedError("executor '" + name + "'");
    }

    private Thread adopt(Thread thread, List<StackTraceElement> creation) {
        synchronized (lock) {
            if (closed) {
                throw closedError("thread '" + thread.getName() + "'");
            }
            threads.add(new Tracked<>(thread, thread.getName(), creation, true));
        }
        TrackedWork.created(thread, creation);
        return thread;
    }

    private <T> TrackedFuture<T> newFuture(List<StackTraceElement> creation) {
        TrackedFuture<T> future = new TrackedFuture<>(futureOwner, creation);
        futureOwner.adopt(future);
        return future;
    }

    private Executor asyncExecutor() {
        synchronized (lock) {
            if (closed) {
                throw new RejectedExecutionException("The task tracker of " + owner + " is closed: the test ended, "
                        + "so no more async work is accepted.");
            }
            if (asyncPool == null) {
                asyncPool = Executors.newCachedThreadPool(threadFactory("async"));
                executors.add(new Tracked<>(asyncPool, "async pool", TrackedWork.here(), true));
            }
            return asyncPool;
        }
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
            return TaskTracker.this.asyncExecutor();
        }
    }

    private IllegalStateException closedError(String what) {
        return new IllegalStateException("The task tracker of " + owner + " is closed (its test or scope ended), so "
                + what + " cannot be tracked any more; it was not started. Create work before the test ends.");
    }

    /** Stops everything in the documented order; reports leaks when used in plain code. */
    void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Duration deadline = settings.taskDeadline();
        boolean interrupted = false;
        // 1. cancel
        for (TrackedFuture<?> future : futures) {
            if (!future.isDone()) {
                future.cancelAtTeardown();
            }
        }
        // 2. shutdown
        for (Tracked<ExecutorService> e : executors) {
            e.work().shutdown();
        }
        // 3. await
        long until = System.nanoTime() + deadline.toNanos();
        for (Tracked<ExecutorService> e : executors) {
            interrupted |= await(e.work(), until);
        }
        // 4. shutdownNow
        for (Tracked<ExecutorService> e : executors) {
            if (!e.work().isTerminated()) {
                e.work().shutdownNow();
            }
        }
        // 5. interrupt
        for (Tracked<Thread> t : threads) {
            if (t.work().isAlive() && t.work() != Thread.currentThread()) {
                t.work().interrupt();
            }
        }
        // 6. join
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
        if (settings.leaks() == LeakPolicy.OFF) {
            found = List.of();
        }
        leaks = List.copyOf(found);
        if (reportOnClose) {
            LeakException failure = LeakReporting.report(owner, found, settings.leaks());
            if (failure != null) {
                throw failure;
            }
        }
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
                        + ") survived interruption: still running " + deadline.toMillis()
                        + " ms after it was interrupted at teardown; it is quarantined until it ends",
                        Arrays.asList(thread.getStackTrace()), t.creation(), null));
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
        if (baseline != null) {
            for (Thread thread : ThreadLeaks.leakedSince(baseline, settings.linger(), ignored)) {
                found.add(ThreadLeaks.leakOf(thread, owner));
            }
        }
        survivors = List.copyOf(stubborn);
        return found;
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

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a thread or executor name must not be blank");
        }
        return name;
    }
}
