package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * An executor of a tracker: runs its tasks on {@code delegate}, and records each task's
 * outcome in {@link TrackedTasks} so that a failure nobody read is reported. Internal: do
 * not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrackedExecutor extends AbstractExecutorService {

    private final ExecutorService delegate;
    private final String name;
    private final TrackedTasks tasks;

    public TrackedExecutor(ExecutorService delegate, String name, TrackedTasks tasks) {
        this.delegate = delegate;
        this.name = name;
        this.tasks = tasks;
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return tasks.task(name, Executors.callable(runnable, value));
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return tasks.task(name, callable);
    }

    @Override
    public void execute(Runnable command) {
        delegate.execute(tasks.executed(name, command));
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "TrackedExecutor[" + name + ", " + delegate + "]";
    }
}
