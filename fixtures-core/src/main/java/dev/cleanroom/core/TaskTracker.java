package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.internal.HelperSettings;
import dev.cleanroom.core.internal.LeakReporting;
import dev.cleanroom.core.internal.ScopeHost;
import dev.cleanroom.core.internal.ThreadDiff;
import dev.cleanroom.core.internal.TrackedExecutor;
import dev.cleanroom.core.internal.TrackedFuture;
import dev.cleanroom.core.internal.TrackedScheduledExecutor;
import dev.cleanroom.core.internal.TrackedWork;
import dev.cleanroom.core.internal.TrackedWorkSet;
import dev.cleanroom.core.internal.VirtualThreads;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;

/**
 * Background work that cannot outlive its test. Executors, thread factories, threads,
 * scheduled tasks and {@link CompletableFuture}s made through a tracker, or handed to it,
 * are stopped when the test's scope closes, in a fixed, bounded order:
 * <ol>
 *   <li><b>cancel</b> unfinished tracked futures (a future nobody waited for is reported first) and
 *       pending scheduled tasks;</li>
 *   <li><b>shutdown</b> every executor;</li>
 *   <li><b>await</b> their termination ({@code cleanroom.tasks.deadline});</li>
 *   <li><b>shutdownNow</b> the ones still running;</li>
 *   <li><b>interrupt</b> every tracked thread still alive;</li>
 *   <li><b>join</b> them ({@code cleanroom.tasks.deadline} again).</li>
 * </ol>
 * What is still running then is reported as a leak, with the test's name, the thread's
 * stack and the stack of where it was created; a thread that survived interruption is
 * quarantined (later tests of the run fail, or are skipped with {@code cleanroom.leaks=warn},
 * until it ends). A tracked future still pending at the end that nobody waited for is
 * reported as started and never awaited ({@code cleanroom.leaks.unawaited}: {@code fail},
 * {@code warn} or {@code off}) before it is cancelled. A tracked future that completed exceptionally and whose outcome nobody
 * read (no {@code get}, {@code join}, dependent stage, ...) is reported too: that is an
 * exception nobody would ever see. So is a task given to one of the tracker's executors
 * ({@code execute}, {@code submit}, {@code schedule*}) that failed while nobody read its
 * outcome, and an exception that killed a tracked thread.
 *
 * <p>Virtual threads (Java 21+): {@link #newVirtualThreadPerTaskExecutor(String)} and
 * {@link #startVirtualThread(String, Runnable)} are tracked like platform threads. On Java
 * 17 they throw {@link UnsupportedOperationException}.
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
@API(status = EXPERIMENTAL, since = "0.1")
public final class TaskTracker {

    private final String owner;
    private final HelperSettings settings;
    private final boolean reportOnClose;
    private final TrackedWorkSet work;
    private final Executor executor;

    private TaskTracker(String owner, HelperSettings settings, boolean reportOnClose, TrackedWorkSet work) {
        this.owner = owner;
        this.settings = settings;
        this.reportOnClose = reportOnClose;
        this.work = work;
        this.executor = command -> work.asyncExecutor().execute(
                work.tasks().executed("async", Objects.requireNonNull(command, "command")));
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
        return scope.attachment(TaskTracker.class, () -> ScopeHost.of(scope).map(host ->
                // the JUnit extension diffs threads and reports leaks itself
                register(scope, new TaskTracker(scope.name(), host.settings(), false,
                        new TrackedWorkSet(scope.name(), host.settings(), null)))
        ).orElseGet(() -> {
            HelperSettings settings = HelperSettings.plain();
            TrackedWorkSet work = new TrackedWorkSet(scope.name(), settings, ThreadDiff.aroundScope(scope.name(), settings));
            return register(scope, new TaskTracker(scope.name(), settings, true, work));
        }));
    }

    private static TaskTracker register(IsolationScope scope, TaskTracker tracker) {
        Duration deadline = tracker.settings.taskDeadline().multipliedBy(2)
                .plus(tracker.settings.linger()).plusSeconds(2);
        scope.onClose("task tracker (stops executors, threads, futures)", deadline, tracker::close);
        return tracker;
    }

    /** A fixed pool of {@code threads} threads named {@code name-1}, {@code name-2}, ... */
    public ExecutorService newFixedThreadPool(String name, int threads) {
        return trackOwn(Executors.newFixedThreadPool(threads, threadFactory(name)), name);
    }

    /** A single-thread executor whose thread is named {@code name-1}. */
    public ExecutorService newSingleThreadExecutor(String name) {
        return trackOwn(Executors.newSingleThreadExecutor(threadFactory(name)), name);
    }

    /**
     * A scheduled pool; at teardown its delayed and periodic tasks are cancelled rather
     * than run.
     */
    public ScheduledExecutorService newScheduledThreadPool(String name, int threads) {
        return work.executor(new TrackedScheduledExecutor(threads, threadFactory(name), name, work.tasks()), name, true);
    }

    /**
     * An executor that starts a tracked virtual thread named {@code name-1}, {@code name-2},
     * ... for each task (Java 21+). The thread diff cannot see virtual threads, so only work
     * made through the tracker is stopped and reported.
     *
     * @throws UnsupportedOperationException before Java 21
     */
    public ExecutorService newVirtualThreadPerTaskExecutor(String name) {
        requireName(name);
        return trackOwn(VirtualThreads.perTaskExecutor(work.virtualThreads(name)), name);
    }

    /**
     * Starts a tracked virtual thread named {@code name} (Java 21+).
     *
     * @throws UnsupportedOperationException before Java 21
     */
    public Thread startVirtualThread(String name, Runnable task) {
        Objects.requireNonNull(task, "task");
        requireName(name);
        Thread thread = VirtualThreads.factory(name).newThread(task);
        thread.setName(name); // the factory numbers its threads; this one has its own name
        work.thread(thread, TrackedWork.here());
        thread.start();
        return thread;
    }

    /**
     * A factory of daemon threads named {@code name-1}, {@code name-2}, ...; every thread
     * it makes is tracked (interrupted and joined at teardown), with the stack of where it
     * was made.
     */
    public ThreadFactory threadFactory(String name) {
        return work.platformThreads(requireName(name));
    }

    /** Starts a tracked daemon thread named {@code name}. */
    public Thread startThread(String name, Runnable task) {
        Thread thread = new Thread(Objects.requireNonNull(task, "task"), requireName(name));
        thread.setDaemon(true);
        work.thread(thread, TrackedWork.here());
        thread.start();
        return thread;
    }

    /**
     * The tracker's async pool as an {@link Executor}, to hand to code under test instead of
     * {@code ForkJoinPool.commonPool()} (which {@code CompletableFuture.supplyAsync/runAsync}
     * use when given none): its threads ({@code async-1}, ...) are the test's, stopped at
     * teardown and reported if they will not stop, and a task given to it that throws is
     * reported, since nobody could read that failure. A {@code CompletableFuture} made on
     * it is an ordinary one: hand it to {@link #track(CompletableFuture)} and use the result,
     * so that a failure nobody read, or a future never awaited, is reported too.
     *
     * <pre>{@code
     * @Test
     * void sendsInBackground(TaskTracker tasks) throws Exception {
     *     Sender sender = new Sender(tasks.executor());              // not the common pool
     *     CompletableFuture<Receipt> receipt = tasks.track(sender.sendAsync(order));
     *     assertThat(receipt.get(5, SECONDS).status()).isEqualTo("SENT");
     * }
     * }</pre>
     *
     * @throws java.util.concurrent.RejectedExecutionException from {@code execute} once the test ended
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public Executor executor() {
        return executor;
    }

    /** Runs {@code task} on the tracker's async pool; read the returned future, or its failure is reported. */
    public <T> CompletableFuture<T> supplyAsync(java.util.function.Supplier<T> task) {
        Objects.requireNonNull(task, "task");
        TrackedFuture<T> future = work.future(TrackedWork.here());
        work.asyncExecutor().execute(() -> {
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

    /**
     * Tracks an executor made elsewhere: shut down, awaited and, if need be, shut down now
     * at teardown. (Its tasks' outcomes are not followed: give tasks to the tracker's own
     * executors for that.)
     */
    public <E extends ExecutorService> E track(E executor) {
        Objects.requireNonNull(executor, "executor");
        return work.executor(executor, executor.getClass().getSimpleName(), false);
    }

    /**
     * Waits for {@code future}, a future of the code under test, at most {@code timeout}, and
     * returns its value: {@code future.get(timeout, unit)} as a test should write it. The wait
     * parks, so JUnit's parallel executor starts no other test meanwhile (a
     * {@code CompletableFuture.get} on a JUnit worker makes its ForkJoinPool add a worker,
     * and JUnit gives it another test). The future is tracked ({@link #track}): cancelled at
     * teardown if it is still pending then.
     *
     * <pre>{@code
     * WorkflowOutcome outcome = tasks.await(workflow.outcome(), Duration.ofSeconds(30));
     * }</pre>
     *
     * @throws ExecutionException if the future failed (the failure is its cause)
     * @throws WaitTimeoutException if it did not complete within {@code timeout}
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public <T> T await(CompletableFuture<T> future, Duration timeout) throws InterruptedException, ExecutionException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return track(future).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new WaitTimeoutException("a future of " + owner + " to complete", timeout, "still pending: "
                    + future, "Raise the timeout if the work is just slow; otherwise find what it waits for (a thread"
                    + " dump of the test's threads).");
        }
    }

    /**
     * Tracks a future made elsewhere. Use the returned future: reading it (get, join, a
     * dependent stage, ...) is what tells the tracker that a failure was seen. An
     * unfinished future is cancelled at teardown, and reported as never awaited if nothing
     * waited for it.
     */
    public <T> CompletableFuture<T> track(CompletableFuture<T> future) {
        Objects.requireNonNull(future, "future");
        TrackedFuture<T> tracked = work.future(TrackedWork.here());
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                tracked.completeExceptionally(failure instanceof CompletionException
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
        return work.thread(Objects.requireNonNull(thread, "thread"), TrackedWork.here());
    }

    /** The leaks found when this tracker closed (empty before, or with {@code cleanroom.leaks=off}). */
    public List<Leak> leaks() {
        return work.leaks();
    }

    /** Threads that survived interruption at teardown. */
    public List<Thread> survivors() {
        return work.survivors();
    }

    /** Whether the tracker has stopped its work (its scope closed). */
    public boolean isClosed() {
        return work.isClosed();
    }

    @Override
    public String toString() {
        return "TaskTracker[" + owner + "]";
    }

    // ---- internals ----

    private ExecutorService trackOwn(ExecutorService pool, String name) {
        return work.executor(new TrackedExecutor(pool, name, work.tasks()), name, true);
    }

    /** Stops everything in the documented order; reports leaks when used in plain code. */
    void close() {
        List<Leak> found = work.close();
        if (reportOnClose) {
            LeakException failure = LeakReporting.report(owner, found, settings);
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a thread or executor name must not be blank");
        }
        return name;
    }
}
