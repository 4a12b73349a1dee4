package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * A closer did not finish within its deadline. It was interrupted and left behind; its
 * stack at the moment the deadline passed is this exception's stack trace, so the
 * report shows where it hung.
 */
@API(status = STABLE, since = "0.1")
public final class CloserTimeoutException extends RuntimeException {

    public CloserTimeoutException(String description, Duration deadline, StackTraceElement[] hungAt) {
        super("'" + description + "' did not finish within " + deadline.toMillis()
                + " ms; it was interrupted and left running. Its stack when the deadline passed is attached.");
        setStackTrace(hungAt);
    }
}
