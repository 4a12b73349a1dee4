package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * An {@link EventCoordinator#await} ran out of time. The message names the barrier, how
 * many signals were wanted and how many arrived, and every barrier signalled so far.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class BarrierTimeoutException extends WaitTimeoutException {

    private static final long serialVersionUID = 1L;

    /** "{@code waitedFor} within {@code timeout}, but {@code seen}" ({@code seen} ends with its full stop). */
    public BarrierTimeoutException(String waitedFor, Duration timeout, String seen) {
        super(waitedFor, timeout, seen, null);
    }
}
