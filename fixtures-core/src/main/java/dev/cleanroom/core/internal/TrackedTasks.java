package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Leak;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;

/**
 * The tasks given to one tracker's executors, each with where it was submitted and
 * whether anybody read its outcome ({@code get}). At teardown, every task that failed and
 * whose outcome nobody read is a leak, like an unread failed future: a task given to
 * {@code execute} can never be read, so its failure always is. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrackedTasks {

    /** Where a task was submitted, and to which executor. */
    private record Submission(TrackedTasks all, String executor, List<StackTraceElement> stack) {}

    /** One submitted task. */
    interface Outcome {
        /** The failure of a task that failed and was never read; else null. */
        Throwable unreadFailure();

        Submission submission();
    }

    private final String owner;
    private final List<Outcome> tasks = new ArrayList<>(); // guarded by this
    private volatile boolean stopping;

    public TrackedTasks(String owner) {
        this.owner = owner;
    }

    /** A task for {@code submit}/{@code invoke*} on executor {@code executor}. */
    public <V> RunnableFuture<V> task(String executor, Callable<V> callable) {
        return add(new Task<>(new Submission(this, executor, TrackedWork.here()), callable));
    }

    /** A {@code schedule*} (or {@code execute}/{@code submit} on a scheduled pool) task. */
    public <V> RunnableScheduledFuture<V> scheduled(String executor, RunnableScheduledFuture<V> task) {
        return add(new Scheduled<>(new Submission(this, executor, TrackedWork.here()), task));
    }

    /** {@code command} for {@code execute}: a failure is recorded (nobody could read it) rather than thrown. */
    public Runnable executed(String executor, Runnable command) {
        if (command instanceof Outcome) {
            return command;
        }
        return add(new Executed(new Submission(this, executor, TrackedWork.here()), command));
    }

    /** Teardown begins: a task that fails from now on was stopped by it (interrupted), which is not its test's failure. */
    public void stopping() {
        stopping = true;
    }

    /** The leaks: failed tasks nobody read. */
    public synchronized List<Leak> leaks() {
        List<Leak> found = new ArrayList<>();
        for (Outcome task : tasks) {
            Throwable failure = task.unreadFailure();
            if (failure != null) {
                found.add(new Leak(Leak.Kind.UNREAD_FAILURE, owner, "a task given to tracked executor '"
                        + task.submission().executor() + "' failed and nobody read its outcome" + (task instanceof Executed
                        ? " (it was given to execute(), whose failures nobody can read: catch inside the task, "
                        + "or use submit() and get())" : " (Future.get() would have)"), List.of(),
                        task.submission().stack(), failure));
            }
        }
        return found;
    }

    private synchronized <T extends Outcome> T add(T task) {
        if (tasks.size() >= 1024 && tasks.size() % 1024 == 0) { // forget what can no longer leak
            tasks.removeIf(t -> t instanceof Task<?> f && f.isDone() && f.unreadFailure() == null);
        }
        tasks.add(task);
        return task;
    }

    /**
     * A wrapped task whose outcome counts as read once somebody called {@code get}: the
     * one place both kinds of task (submitted, scheduled) mark their outcome read.
     */
    private abstract static class ReadMarking<V, F extends Future<V>> implements Future<V>, Outcome {
        final Submission submission;
        final F task;
        volatile boolean read;

        ReadMarking(Submission submission, F task) {
            this.submission = submission;
            this.task = task;
        }

        @Override
        public Submission submission() {
            return submission;
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            read = true;
            return task.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            read = true;
            return task.get(timeout, unit);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return task.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return task.isCancelled();
        }

        @Override
        public boolean isDone() {
            return task.isDone();
        }
    }

    /** A task of {@code submit} or {@code invoke*}: its failure is remembered unless teardown caused it. */
    private static final class Task<V> extends ReadMarking<V, FutureTask<V>> implements RunnableFuture<V> {
        private final Failure failure;

        private Task(Submission submission, Failure failure, Callable<V> callable) {
            super(submission, new FutureTask<>(callable) {
                @Override
                protected void setException(Throwable t) {
                    if (!submission.all().stopping) {
                        failure.cause = t;
                    }
                    super.setException(t);
                }
            });
            this.failure = failure;
        }

        Task(Submission submission, Callable<V> callable) {
            this(submission, new Failure(), callable);
        }

        @Override
        public void run() {
            task.run();
        }

        @Override
        public Throwable unreadFailure() {
            return read || isCancelled() ? null : failure.cause;
        }
    }

    /** The failure of a submitted task, set by its inner FutureTask. */
    private static final class Failure {
        volatile Throwable cause;
    }

    private static final class Executed implements Runnable, Outcome {
        private final Submission submission;
        private final Runnable command;
        private volatile Throwable failure;

        Executed(Submission submission, Runnable command) {
            this.submission = submission;
            this.command = command;
        }

        @Override
        public void run() {
            try {
                command.run();
            } catch (Throwable t) {
                if (!submission.all().stopping) {
                    failure = t;
                }
            }
        }

        @Override
        public Throwable unreadFailure() {
            return failure;
        }

        @Override
        public Submission submission() {
            return submission;
        }
    }

    /** Wraps the pool's own scheduled task, so that periodic re-scheduling and the queue keep working. */
    private static final class Scheduled<V> extends ReadMarking<V, RunnableScheduledFuture<V>>
            implements RunnableScheduledFuture<V> {
        private volatile boolean endedAtTeardown;

        Scheduled(Submission submission, RunnableScheduledFuture<V> task) {
            super(submission, task);
        }

        @Override
        public Throwable unreadFailure() {
            if (read || endedAtTeardown || !task.isDone() || task.isCancelled()) {
                return null;
            }
            try {
                task.get(0, TimeUnit.NANOSECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause() != null ? e.getCause() : e;
            } catch (CancellationException | TimeoutException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public boolean isPeriodic() {
            return task.isPeriodic();
        }

        @Override
        public void run() {
            task.run();
            if (submission.all().stopping && task.isDone()) {
                endedAtTeardown = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return task.getDelay(unit);
        }

        @Override
        public int compareTo(Delayed other) {
            return task.compareTo(other instanceof Scheduled<?> s ? s.task : other);
        }
    }
}
