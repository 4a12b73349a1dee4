package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A bounded wait of Cleanroom's ran out of time: a barrier of {@link EventCoordinator}, a
 * record await or send of the Kafka fixture, a prepared schema, database or topic that did
 * not become ready, a shared server that did not start. The message says what was waited
 * for, for how long, and what was seen meanwhile; the same three parts are
 * {@link #waitedFor()}, {@link #timeout()} and {@link #seen()}.
 *
 * <p>An {@link AssertionError}: a test whose wait timed out failed, it did not break.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class WaitTimeoutException extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final String waitedFor;
    private final Duration timeout;
    private final String seen;

    /**
     * "{@code waitedFor} within {@code timeout}, but {@code seen}" followed by {@code advice}
     * (may be null), e.g. "Expected 2 records on topic "orders" within 500 ms, but received 1: ...".
     * {@code seen} and {@code advice} end with their own full stop.
     */
    public WaitTimeoutException(String waitedFor, Duration timeout, String seen, String advice) {
        this(compose(waitedFor, timeout, seen, advice), waitedFor, timeout, seen, null);
    }

    /** A message of its own (for wording that reads better another way), with the same three parts. */
    public WaitTimeoutException(String message, String waitedFor, Duration timeout, String seen, Throwable cause) {
        super(message, cause);
        this.waitedFor = Objects.requireNonNull(waitedFor, "waitedFor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.seen = Objects.requireNonNull(seen, "seen");
    }

    /** What was waited for, e.g. "at least 2 records on topic "orders"". */
    public String waitedFor() {
        return waitedFor;
    }

    /** How long. */
    public Duration timeout() {
        return timeout;
    }

    /** What was seen when time ran out, e.g. "received 1: ...". */
    public String seen() {
        return seen;
    }

    /** "250 ms", "3 s", "2 min": how the messages of this family write a timeout. */
    public static String format(Duration timeout) {
        long millis = timeout.toMillis();
        if (millis >= 120_000 && millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        return millis >= 1000 && millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static String compose(String waitedFor, Duration timeout, String seen, String advice) {
        String text = waitedFor + " within " + format(timeout) + ", but " + seen;
        return advice == null || advice.isBlank() ? text : text + " " + advice;
    }
}
