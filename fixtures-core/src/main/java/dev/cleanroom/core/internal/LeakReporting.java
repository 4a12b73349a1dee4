package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Leak;
import dev.cleanroom.core.LeakException;
import dev.cleanroom.core.LeakPolicy;
import dev.cleanroom.core.spi.RunStatistics;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/** Applies {@code cleanroom.leaks} to a list of leaks. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class LeakReporting {

    private static final AtomicBoolean PARALLEL_NOTICE = new AtomicBoolean();
    private static final java.util.concurrent.atomic.AtomicLong PARALLEL_SKIPS = new java.util.concurrent.atomic.AtomicLong();

    private LeakReporting() {}

    /**
     * Counts the leaks and, by policy, returns the exception to throw ({@code fail}), or
     * prints the report and returns null ({@code warn}). Returns null when there are none.
     */
    public static LeakException report(String owner, List<Leak> leaks, LeakPolicy policy) {
        if (leaks.isEmpty() || policy == LeakPolicy.OFF) {
            return null;
        }
        RunStatistics.leaks(leaks.size());
        LeakException exception = new LeakException(owner, leaks);
        if (policy == LeakPolicy.FAIL) {
            return exception;
        }
        System.err.println("[cleanroom] WARNING (cleanroom.leaks=warn) " + exception.getMessage());
        return null;
    }

    /** Says once per JVM that per-test thread diffing is off under parallel execution. */
    public static void parallelNotice() {
        PARALLEL_SKIPS.incrementAndGet();
        if (PARALLEL_NOTICE.compareAndSet(false, true)) {
            System.err.println("[cleanroom] JUnit parallel execution is on: a leaked thread cannot be attributed to "
                    + "the test that started it, so each test is checked for the work it tracked through TaskTracker "
                    + "and the uncaught exceptions of its threads, and untracked threads still alive when the run "
                    + "ends are listed (and fail the run, with cleanroom.leaks=fail) then.");
        }
    }

    /** How many tests and classes skipped thread diffing because of parallel execution, JVM-wide. */
    public static long parallelSkips() {
        return PARALLEL_SKIPS.get();
    }
}
