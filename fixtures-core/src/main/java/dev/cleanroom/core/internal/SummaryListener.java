package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.RunStatistics;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints Cleanroom's end-of-run summary (tests isolated, resources created and removed
 * by kind, leaks, isolation time p50/p95) when a JUnit run that used Cleanroom ends.
 * Registered through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener};
 * silent when nothing Cleanroom-related happened. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SummaryListener implements TestExecutionListener {

    private final PrintStream out;
    private RunStatistics.Snapshot atStart;
    private long parallelSkipsAtStart;

    public SummaryListener() {
        this(System.out);
    }

    SummaryListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        atStart = RunStatistics.snapshot();
        parallelSkipsAtStart = LeakReporting.parallelSkips();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        String summary = summary(atStart, RunStatistics.snapshot(),
                LeakReporting.parallelSkips() > parallelSkipsAtStart);
        if (summary != null) {
            out.println(summary);
        }
        String runEnd = RunLeakCheck.drainSummary(); // threads and exceptions no test could be blamed for
        if (runEnd != null) {
            out.println(runEnd);
        }
    }

    /** The summary of what happened between two snapshots, or null if nothing Cleanroom-related did. */
    static String summary(RunStatistics.Snapshot before, RunStatistics.Snapshot now, boolean parallel) {
        long tests = now.tests() - (before == null ? 0 : before.tests());
        long leaks = now.leaks() - (before == null ? 0 : before.leaks());
        Map<String, Long> created = delta(before == null ? Map.of() : before.created(), now.created());
        Map<String, Long> removed = delta(before == null ? Map.of() : before.removed(), now.removed());
        if (tests == 0 && leaks == 0 && created.isEmpty() && removed.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder("[cleanroom] run summary: ").append(tests).append(" tests isolated");
        if (!created.isEmpty()) {
            text.append("; created ").append(format(created));
        }
        if (!removed.isEmpty()) {
            text.append("; removed ").append(format(removed));
        }
        text.append("; leaks reported: ").append(leaks);
        if (now.isolationSamples() > 0) {
            text.append("; isolation time on the test thread p50 ").append(millis(now.isolationP50().toNanos()))
                    .append(" ms, p95 ").append(millis(now.isolationP95().toNanos())).append(" ms (")
                    .append(now.isolationSamples()).append(" samples)");
        }
        if (parallel) {
            text.append("; parallel execution: untracked threads were checked at the end of the run");
        }
        return text.toString();
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> now) {
        Map<String, Long> delta = new TreeMap<>();
        now.forEach((kind, n) -> {
            long d = n - before.getOrDefault(kind, 0L);
            if (d != 0) {
                delta.put(kind, d);
            }
        });
        return delta;
    }

    private static String format(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1_000_000.0);
    }
}
