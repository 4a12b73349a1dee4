package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * A closer did not finish within its deadline. It was interrupted, and the next closer
 * waited (at most its deadline again, capped at 5 s) for it to stop; if it ignored the
 * interrupt it was left running and the message says so. Its stack at the moment the
 * deadline passed is this exception's stack trace, so the report shows where it hung.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CloserTimeoutException extends RuntimeException {

    public CloserTimeoutException(String description, Duration deadline, StackTraceElement[] hungAt) {
        this(description, deadline, hungAt, null);
    }

    /**
     * @param stillRunningAfter null if the closer stopped when interrupted; else how long it
     *     was given to stop, after which the next closers ran beside it
     */
    public CloserTimeoutException(String description, Duration deadline, StackTraceElement[] hungAt,
                                  Duration stillRunningAfter) {
        super("'" + description + "' did not finish within " + deadline.toMillis() + " ms; it was interrupted"
                + (stillRunningAfter == null ? " and stopped before the next closer started."
                        : ", ignored the interrupt and was left running " + stillRunningAfter.toMillis()
                        + " ms later; the closers after it ran while it may still run.")
                + " Its stack when the deadline passed is attached.");
        setStackTrace(hungAt);
    }
}
