package dev.cleanroom.postgres.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Watches the server while a test waits for something the server makes (its migrated schema):
 * every {@code interval} (cleanroom.postgres.connect-timeout) it asks {@code silence} whether the
 * server answers (a probe bounded by that timeout). A server that does not answer, dead or hung,
 * is reported through {@code onSilence} and the waiting thread interrupted, so the test fails
 * within about two connect timeouts instead of waiting out cleanroom.postgres.prepare-timeout.
 * A long migration on a server that answers is never cut: only the probe is bounded. A wait
 * shorter than {@code interval} costs one scheduled task, cancelled at {@link #close()}.
 */
final class WaitWatch implements AutoCloseable {

    private final Thread waiter = Thread.currentThread();
    private final ScheduledExecutorService prober;
    private final Duration interval;
    private final Supplier<Optional<String>> silence;
    private final java.util.function.Consumer<String> onSilence;
    private boolean done; // guarded by this
    private boolean interrupted; // guarded by this
    private ScheduledFuture<?> next; // guarded by this

    /** Starts watching for the calling thread; the probes run on {@code prober}. */
    WaitWatch(ScheduledExecutorService prober, Duration interval, Supplier<Optional<String>> silence,
              java.util.function.Consumer<String> onSilence) {
        this.prober = prober;
        this.interval = interval;
        this.silence = silence;
        this.onSilence = onSilence;
        synchronized (this) {
            schedule();
        }
    }

    private void schedule() { // holding this
        try {
            next = prober.schedule(this::probe, Math.max(250, interval.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            next = null; // the server is being closed: nothing left to watch
        }
    }

    private void probe() {
        synchronized (this) {
            if (done) {
                return;
            }
        }
        Optional<String> reason = silence.get();
        synchronized (this) {
            if (done) {
                return;
            }
            if (reason.isEmpty()) {
                schedule();
                return;
            }
            onSilence.accept(reason.get());
            interrupted = true;
            waiter.interrupt();
        }
    }

    /** Stops watching; clears the interrupt this watch caused (the caller checks whether the server is gone). */
    @Override
    public void close() {
        synchronized (this) {
            done = true;
            if (next != null) {
                next.cancel(false);
            }
            if (interrupted) {
                Thread.interrupted();
            }
        }
    }
}
