package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.CloserFailedException;
import dev.cleanroom.core.CloserTimeoutException;
import dev.cleanroom.core.IsolationScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;

/**
 * Runs teardown steps one after another, each on a daemon teardown thread with its own
 * deadline, so that a hanging closer cannot stall the suite. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class TeardownRunner {

    /** Prefix of every teardown thread's name, so leak detection can ignore them. */
    public static final String THREAD_NAME_PREFIX = "cleanroom-teardown-";

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, THREAD_NAME_PREFIX + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private TeardownRunner() {}

    /** One registered closer. */
    public record Step(String description, Duration deadline, IsolationScope.Closer closer) {}

    /**
     * Runs every step in the given order and returns the failures in that order. A
     * {@link VirtualMachineError} from a step is rethrown at once. If the calling thread
     * is interrupted, the remaining steps still run and the interrupt flag is restored.
     */
    public static List<Throwable> runAll(List<Step> steps) {
        List<Throwable> failures = new ArrayList<>();
        boolean interrupted = false;
        for (Step step : steps) {
            AtomicReference<Thread> runner = new AtomicReference<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            POOL.execute(() -> {
                runner.set(Thread.currentThread());
                try {
                    step.closer().close();
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                } finally {
                    runner.set(null);
                    Thread.interrupted(); // a pooled thread must not carry an interrupt to the next step
                }
            });
            long deadlineNanos = System.nanoTime() + step.deadline().toNanos();
            while (true) {
                try {
                    done.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: every closer must get its chance
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof VirtualMachineError vme) {
                        throw vme;
                    }
                    failures.add(describe(step, cause));
                    break;
                } catch (TimeoutException e) {
                    Thread hung = runner.get();
                    StackTraceElement[] stack = hung == null ? new StackTraceElement[0] : hung.getStackTrace();
                    if (hung != null) {
                        hung.interrupt();
                    }
                    failures.add(new CloserTimeoutException(step.description(), step.deadline(), stack));
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failures;
    }

    private static Throwable describe(Step step, Throwable cause) {
        return new CloserFailedException(step.description(), cause);
    }
}
