package dev.cleanroom.testkit;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Exchanger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pairs up tests that run at the same time, so that each can try to reach what its partner
 * owns while both still own it. Two at a time, not all of a class's tests at once: a
 * rendezvous of N tests needs N free JUnit workers at one moment, which a loaded machine does
 * not always give. Every wait is bounded; a wait that runs out fails with the stacks of the
 * JVM's threads, so the cause is in the report.
 *
 * @param <T> what the partners show each other (a schema or database name)
 */
public final class Pairing<T> {

    private final Exchanger<Partner<T>> exchanger = new Exchanger<>();
    private final long timeoutSeconds;

    public Pairing(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** One side of a pair: what the partner showed, and a way to keep one's own until the partner is done. */
    public static final class Partner<T> {
        private final T shown;
        private final CountDownLatch tried = new CountDownLatch(1);

        private Partner(T shown) {
            this.shown = shown;
        }

        public T shown() {
            return shown;
        }
    }

    /** What the test does with its partner's thing while both exist. */
    @FunctionalInterface
    public interface Attempt<T> {
        void tryOn(T partners) throws Exception;
    }

    /**
     * Shows {@code mine} to the next test that calls this, runs {@code attempt} on what that
     * test showed, and returns once the partner has finished its own attempt (so that what
     * this test owns still exists while the partner tries it).
     */
    public void with(T mine, Attempt<T> attempt) throws Exception {
        Partner<T> own = new Partner<>(mine);
        Partner<T> other;
        try {
            other = exchanger.exchange(own, timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no other test came to pair up with within " + timeoutSeconds + " s; threads:\n" + threadDump(), e);
        }
        Throwable failed = null;
        try {
            attempt.tryOn(other.shown);
        } catch (Exception | Error e) {
            failed = e;
            throw e;
        } finally {
            own.tried.countDown();
            if (!other.tried.await(timeoutSeconds, TimeUnit.SECONDS)) {
                AssertionError late = new AssertionError("the partner test did not finish its attempt within " + timeoutSeconds
                        + " s; threads:\n" + threadDump());
                if (failed == null) {
                    throw late;
                }
                failed.addSuppressed(late); // the attempt's own failure stays the one reported
            }
        }
    }

    /** The stacks of the JVM's live threads, for a report. */
    public static String threadDump() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            text.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState()).append('\n');
            for (StackTraceElement frame : e.getValue()) {
                text.append("    at ").append(frame).append('\n');
            }
        }
        return text.toString();
    }
}
