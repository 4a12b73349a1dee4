package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Leak;
import dev.cleanroom.core.LeakException;
import dev.cleanroom.core.LeakPolicy;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/** Applies {@code cleanroom.leaks} to a list of leaks. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class LeakReporting {

    private static final AtomicBoolean PARALLEL_NOTICE = new AtomicBoolean();

    private LeakReporting() {}

    /**
     * Counts the leaks and, by policy, returns the exception to throw ({@code fail}), or
     * prints the report and returns null ({@code warn}). Returns null when there are none.
     */
    public static LeakException report(String owner, List<Leak> leaks, LeakPolicy policy) {
        if (leaks.isEmpty() || policy == LeakPolicy.OFF) {
            return null;
        }
        LeakException exception = new LeakException(owner, leaks);
        if (policy == LeakPolicy.FAIL) {
            return exception;
        }
        System.err.println("[cleanroom] WARNING (cleanroom.leaks=warn) " + exception.getMessage());
        return null;
    }

    /**
     * As {@link #report(String, List, LeakPolicy)}, each leak by its own policy: a future
     * never awaited by {@code cleanroom.leaks.unawaited}, the others by {@code cleanroom.leaks}.
     */
    public static LeakException report(String owner, List<Leak> leaks, HelperSettings settings) {
        if (settings.unawaited() == settings.leaks()) {
            return report(owner, leaks, settings.leaks());
        }
        // unawaited is weaker (WARN or OFF) than leaks here: report the others by leaks, these by unawaited
        List<Leak> unawaited = leaks.stream().filter(l -> l.kind() == Leak.Kind.NEVER_AWAITED).toList();
        List<Leak> others = leaks.stream().filter(l -> l.kind() != Leak.Kind.NEVER_AWAITED).toList();
        LeakException failure = report(owner, others, settings.leaks());
        if (!unawaited.isEmpty() && settings.unawaited() == LeakPolicy.WARN) {
            System.err.println("[cleanroom] WARNING (cleanroom.leaks.unawaited=warn) "
                    + new LeakException(owner, unawaited).getMessage());
        }
        return failure;
    }

    /** Says once per JVM that per-test thread diffing is off under parallel execution. */
    public static void parallelNotice() {
        if (PARALLEL_NOTICE.compareAndSet(false, true)) {
            System.err.println("[cleanroom] JUnit parallel execution is on: a leaked thread cannot be attributed to "
                    + "the test that started it, so each test is checked for the work it tracked through TaskTracker "
                    + "and the uncaught exceptions of its threads, and untracked threads still alive when the run "
                    + "ends are listed (and fail the run, with cleanroom.leaks=fail) then.");
        }
    }
}
