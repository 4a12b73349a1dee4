package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Finds out whether a shared server is gone, dead or hung, and watches it while a test
 * waits on it. Gone means: its engine says so (container stopped, process exited), or it
 * did not answer two probes in a row, each bounded by {@code timeout} (a setting of the
 * module). One missed probe is not enough: a server that is merely slow under load answers
 * the next. A killed container or process breaks its connections a moment before Docker (or
 * the process table) reports it, so between the two probes the engine's own reason is awaited
 * for the rest of the first probe's timeout. The probes of watched waits run on one thread
 * of the server's, made on the first wait and ended when idle. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ServerWatch implements AutoCloseable {

    private static final long ENGINE_POLL_MILLIS = 100;

    private final ServerGone gone;
    private final Supplier<String> server;
    private final Duration timeout;
    private final Supplier<Optional<String>> engine;
    private final Supplier<Optional<String>> probe;
    private final String threadName;
    private ScheduledThreadPoolExecutor prober; // guarded by this; made on the first watched wait
    private boolean closed; // guarded by this

    /**
     * @param gone where the server's death is remembered
     * @param server the server in words (engine, address, container id or pid), for the message
     * @param timeout how long one probe may take, and how often a watched wait probes
     * @param engine the engine's own reason (container or process state); empty for a running or external server
     * @param probe one request on a connection of its own, bounded by {@code timeout}: empty if answered, else
     *              what failed, in words naming the timeout's setting
     * @param threadName the probe thread's name
     */
    public ServerWatch(ServerGone gone, Supplier<String> server, Duration timeout, Supplier<Optional<String>> engine,
                       Supplier<Optional<String>> probe, String threadName) {
        this.gone = gone;
        this.server = server;
        this.timeout = timeout;
        this.engine = engine;
        this.probe = probe;
        this.threadName = threadName;
    }

    /** How long one probe may take, and the interval of a watched wait's probes. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * After a request failed while {@code doing}: if the server was declared gone, or is found
     * gone now (bounded by about two probe timeouts), the failure that names it, remembered for
     * every later test; else null, and the caller reports its own failure.
     */
    public IllegalStateException ifGone(Throwable failure, String doing) {
        return gone.ifGone(server.get(), this::whyGone, doing, failure);
    }

    /** Why the server is gone; empty if it answers (or the calling thread was interrupted meanwhile). */
    public Optional<String> whyGone() {
        Optional<String> reason = engine.get();
        if (reason.isPresent()) {
            return reason;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> first = probe.get();
        if (first.isEmpty() || Thread.currentThread().isInterrupted()) {
            return Optional.empty();
        }
        while (System.nanoTime() < deadline) { // a probe refused at once: the engine may report its death in a moment
            reason = engine.get();
            if (reason.isPresent()) {
                return reason;
            }
            try {
                Thread.sleep(ENGINE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        Optional<String> second = probe.get();
        if (second.isEmpty() || Thread.currentThread().isInterrupted()) {
            return Optional.empty();
        }
        return engine.get().or(() -> Optional.of(second.get() + " (the probe before it failed too)"));
    }

    /**
     * Watches the calling thread's wait for {@code doing} until the returned watch is closed:
     * every {@link #timeout()} the server is looked at ({@link #whyGone()}); a server found gone is
     * declared so and the waiting thread interrupted, so that the wait ends within a few probe
     * timeouts instead of its own (longer) one. Close it when the wait ends, then ask {@link #ifGone}.
     */
    public Watch watch(String doing) {
        return new Watch(doing);
    }

    /** One watched wait; {@link #close()} stops it and clears the interrupt it caused. */
    public final class Watch implements AutoCloseable {
        private final Thread waiter = Thread.currentThread();
        private final String doing;
        private boolean done; // guarded by this
        private boolean interrupted; // guarded by this
        private ScheduledFuture<?> next; // guarded by this

        private Watch(String doing) {
            this.doing = doing;
            synchronized (this) {
                schedule();
            }
        }

        private void schedule() { // holding this
            try {
                next = prober().schedule(this::look, Math.max(250, timeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                next = null; // the server is being closed: nothing left to watch
            }
        }

        private void look() {
            synchronized (this) {
                if (done) {
                    return;
                }
            }
            Optional<String> reason = gone.isGone() ? Optional.of("") : whyGone();
            synchronized (this) {
                if (done) {
                    return;
                }
                if (reason.isEmpty()) {
                    schedule();
                    return;
                }
                gone.declare(server.get(), reason.get(), doing, null);
                interrupted = true;
                waiter.interrupt();
            }
        }

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

    /** One thread for the probes of every watched wait; it ends when idle and is never blamed on a test. */
    private synchronized ScheduledThreadPoolExecutor prober() {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        if (prober == null) {
            prober = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread t = new Thread(ThreadLeaks.SHARED_SERVER_GROUP, runnable, threadName);
                t.setDaemon(true);
                return t;
            });
            prober.setRemoveOnCancelPolicy(true);
            prober.setKeepAliveTime(10, TimeUnit.SECONDS);
            prober.allowCoreThreadTimeOut(true);
        }
        return prober;
    }

    /** Stops the probe thread (a probe under way ends within its timeout). */
    @Override
    public synchronized void close() {
        closed = true;
        if (prober != null) {
            prober.shutdownNow();
        }
    }
}
