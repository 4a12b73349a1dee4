package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Thrown by {@link IsolationScope#close()} when one or more closers failed or overran
 * their deadline. Every failure is attached as {@linkplain #getSuppressed() suppressed},
 * in the order the closers ran; the message lists them all.
 *
 * <p>In a JUnit test, the test's own failure stays the reported failure and this
 * exception is attached to it as suppressed.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ScopeTeardownException extends RuntimeException {

    private final String scopeName;

    ScopeTeardownException(String scopeName, int closers, List<Throwable> failures) {
        super(message(scopeName, closers, failures), null, true, false);
        this.scopeName = scopeName;
        failures.forEach(this::addSuppressed);
    }

    /** The name of the scope whose teardown failed. */
    public String scopeName() {
        return scopeName;
    }

    /** The failures, in the order the closers ran. */
    public List<Throwable> failures() {
        return List.of(getSuppressed());
    }

    private static String message(String scopeName, int closers, List<Throwable> failures) {
        StringBuilder text = new StringBuilder("Teardown of '").append(scopeName).append("' failed: ")
                .append(failures.size()).append(" of ").append(closers).append(" closers failed");
        for (Throwable failure : failures) {
            text.append(System.lineSeparator()).append("  - ").append(failure);
        }
        return text.toString();
    }
}
