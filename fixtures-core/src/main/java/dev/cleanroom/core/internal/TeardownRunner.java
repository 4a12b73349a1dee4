package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.CloserFailedException;
import dev.cleanroom.core.CloserTimeoutException;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.spi.Park;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;

/**
 * Runs teardown steps one after another, each on a daemon teardown thread with its own
 * deadline, so that a hanging closer cannot stall the suite. The test thread parks while a
 * step runs ({@link Park}), so JUnit starts no other test meanwhile. Internal: do not use.
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

    /** How long, after its deadline and interrupt, a closer may take to stop before the next one starts anyway. */
    static final Duration MAX_GRACE = Duration.ofSeconds(5);

    /**
     * Runs every step in the given order and returns the failures in that order. A step that
     * overruns its deadline is interrupted, and the next step starts only when it stopped, or
     * after a grace of its deadline (at most {@link #MAX_GRACE}) if it ignores the interrupt;
     * then it is reported as still running. An {@link OutOfMemoryError} is rethrown at once;
     * any other {@link VirtualMachineError} lets the remaining steps run and is then
     * rethrown, with the other failures suppressed; other throwables are reported as failures. If the calling thread is interrupted, the remaining steps
     * still run and the interrupt flag is restored.
     */
    public static List<Throwable> runAll(List<Step> steps) {
        List<Throwable> failures = new ArrayList<>();
        VirtualMachineError fatal = null;
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
                    Park.get(done, Duration.ofNanos(deadlineNanos - System.nanoTime()));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: every closer must get its chance
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof OutOfMemoryError oom) {
                        throw oom;
                    }
                    if (cause instanceof VirtualMachineError vme && fatal == null) {
                        fatal = vme; // rethrown after the other closers ran (JUnit treats only OOM as unrecoverable)
                    } else {
                        failures.add(describe(step, cause));
                    }
                    break;
                } catch (TimeoutException e) {
                    Thread hung = runner.get();
                    StackTraceElement[] stack = hung == null ? new StackTraceElement[0] : hung.getStackTrace();
                    if (hung != null) {
                        hung.interrupt();
                    }
                    // the next closer may touch the same resource: it waits until this one stopped (bounded)
                    Duration grace = step.deadline().compareTo(MAX_GRACE) < 0 ? step.deadline() : MAX_GRACE;
                    boolean stopped = awaitQuietly(done, grace);
                    interrupted |= Thread.interrupted();
                    failures.add(new CloserTimeoutException(step.description(), step.deadline(), stack,
                            stopped ? null : grace));
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (fatal != null) {
            failures.forEach(fatal::addSuppressed);
            throw fatal;
        }
        return failures;
    }

    /** Waits up to {@code grace} for {@code done}, however it ends; true if it ended. Keeps an interrupt for later. */
    private static boolean awaitQuietly(CompletableFuture<Void> done, Duration grace) {
        long end = System.nanoTime() + grace.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    Park.get(done, Duration.ofNanos(end - System.nanoTime()));
                    return true;
                } catch (ExecutionException e) {
                    return true;
                } catch (TimeoutException e) {
                    return false;
                } catch (InterruptedException e) {
                    interrupted = true; // the closers must run in order: keep waiting
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Throwable describe(Step step, Throwable cause) {
        return new CloserFailedException(step.description(), cause);
    }
}
