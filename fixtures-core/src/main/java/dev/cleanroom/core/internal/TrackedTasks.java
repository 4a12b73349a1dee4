package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Leak;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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
    public <V> FutureTask<V> task(String executor, Callable<V> callable) {
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

    private static final class Task<V> extends FutureTask<V> implements Outcome {
        private final Submission submission;
        private volatile Throwable failure;
        private volatile boolean read;

        Task(Submission submission, Callable<V> callable) {
            super(callable);
            this.submission = submission;
        }

        @Override
        protected void setException(Throwable t) {
            if (!submission.all().stopping) {
                failure = t;
            }
            super.setException(t);
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            read = true;
            return super.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            read = true;
            return super.get(timeout, unit);
        }

        @Override
        public Throwable unreadFailure() {
            return read || isCancelled() ? null : failure;
        }

        @Override
        public Submission submission() {
            return submission;
        }
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
    private static final class Scheduled<V> implements RunnableScheduledFuture<V>, Outcome {
        private final Submission submission;
        private final RunnableScheduledFuture<V> task;
        private volatile boolean read;
        private volatile boolean endedAtTeardown;

        Scheduled(Submission submission, RunnableScheduledFuture<V> task) {
            this.submission = submission;
            this.task = task;
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
        public Submission submission() {
            return submission;
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
        public long getDelay(TimeUnit unit) {
            return task.getDelay(unit);
        }

        @Override
        public int compareTo(Delayed other) {
            return task.compareTo(other instanceof Scheduled<?> s ? s.task : other);
        }
    }
}
