package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.concurrent.Callable;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import org.apiguardian.api.API;

/**
 * A scheduled pool of a tracker: every task ({@code schedule*}, {@code execute},
 * {@code submit}) is recorded in {@link TrackedTasks}, so that a failure nobody read is
 * reported; at shutdown, delayed and periodic tasks are dropped rather than run.
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrackedScheduledExecutor extends ScheduledThreadPoolExecutor {

    private final String name;
    private final TrackedTasks tasks;

    public TrackedScheduledExecutor(int threads, ThreadFactory factory, String name, TrackedTasks tasks) {
        super(threads, factory);
        this.name = name;
        this.tasks = tasks;
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> task) {
        return tasks.scheduled(name, task);
    }

    @Override
    protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> callable, RunnableScheduledFuture<V> task) {
        return tasks.scheduled(name, task);
    }
}
