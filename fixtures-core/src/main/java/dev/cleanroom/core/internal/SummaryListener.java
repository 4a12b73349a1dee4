package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.PlannedTest;
import dev.cleanroom.core.spi.RunStatistics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints Cleanroom's end-of-run summary of the runs this launcher session executed (not of
 * runs nested in its tests, not of earlier sessions in the same JVM), once, when the session
 * ends (when the plan ends if no session is known), so that surefire's forks, which execute
 * each class as a plan of its own, print one summary per JVM: tests, one isolation
 * sample per test, time tests waited for prepared resources, server start times, and per
 * kind of resource what was created, used, removed and how long preparing took.
 * Registered through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener};
 * silent when nothing Cleanroom-related happened. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SummaryListener implements TestExecutionListener {

    private final PrintStream out;
    private volatile LauncherRuns.Session session;

    public SummaryListener() {
        this(System.out);
    }

    /** Prints to {@code out} instead of standard output (tests). */
    public SummaryListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        LauncherRuns.Lifetime lifetime = LauncherRuns.current();
        session = new LauncherRuns.Session(testPlan == null ? List.of() : planned(testPlan), lifetime,
                testPlan == null ? java.util.Set.of() : cleanroomKeys(testPlan));
        if (lifetime != null) { // the session's runs report once, when it ends (after its servers stopped)
            lifetime.holdOnce(SummaryListener.class, () -> () -> report(lifetime.runs()));
        }
    }

    /** The plan's configuration parameters named cleanroom.*: Jupiter reads parameters by name only. */
    private static java.util.Set<String> cleanroomKeys(TestPlan testPlan) {
        try {
            return testPlan.getConfigurationParameters().keySet().stream().filter(k -> k.startsWith("cleanroom."))
                    .collect(java.util.stream.Collectors.toSet());
        } catch (RuntimeException | LinkageError notListable) { // a platform without keySet: nothing to check
            return java.util.Set.of();
        }
    }

    /** The Jupiter test methods and templates of the plan. */
    private static List<PlannedTest> planned(TestPlan testPlan) {
        List<PlannedTest> planned = new ArrayList<>();
        for (TestIdentifier root : testPlan.getRoots()) {
            if (!root.getUniqueId().equals("[engine:junit-jupiter]")) {
                continue;
            }
            for (TestIdentifier id : testPlan.getDescendants(root)) {
                if (id.getSource().orElse(null) instanceof MethodSource source) {
                    try {
                        planned.add(new PlannedTest(source.getJavaClass(), source.getJavaMethod(), id.isContainer()));
                    } catch (RuntimeException notLoadable) {
                        // the engine reports it; nothing to plan for
                    }
                }
            }
        }
        return planned;
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
        if (session != null && identifier.getParentId().isPresent()) { // not the engine: nested runs share its id
            LauncherRuns.started(identifier.getUniqueId(), session);
        }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (session != null) {
            LauncherRuns.finished(identifier.getUniqueId(), session);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        LauncherRuns.Session finished = session;
        session = null;
        if (finished == null || finished.lifetime() == null) {
            report(finished == null ? List.of() : finished.runs());
        }
    }

    /** Prints the summary of each run, then what run-end checks found that no test could be blamed for. */
    private void report(List<RunStatistics> runs) {
        for (RunStatistics run : runs) {
            String summary = summary(run.snapshot());
            if (summary != null) {
                out.println(summary + (EngineSelection.servedEngines().isEmpty() ? "" : "; engines: " + EngineSelection.servedEngines()));
            }
        }
        String runEnd = RunLeakCheck.drainSummary(); // threads and exceptions no test could be blamed for
        if (runEnd != null) {
            out.println(runEnd);
        }
    }

    /** The summary of one run, or null if nothing Cleanroom-related happened in it. */
    static String summary(RunStatistics.Snapshot run) {
        if (run.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder("[cleanroom] run summary: ").append(run.tests()).append(" tests isolated");
        text.append("; leaks reported: ").append(run.leaks());
        if (run.isolationSamples() > 0) {
            text.append("; isolation time on the test thread p50 ").append(millis(run.isolationP50()))
                    .append(" ms, p95 ").append(millis(run.isolationP95())).append(" ms (")
                    .append(run.isolationSamples()).append(" samples, one per test; server start not included)");
        }
        long waits = total(run, RunStatistics.Resource::waits);
        if (waits > 0) {
            text.append("; tests waited ").append(waits).append(" times for prepared ")
                    .append(join(run, r -> r.waits() > 0, (k, r) -> k + " (" + seconds(r.waited()) + " s)"));
        }
        if (!run.serverStarts().isEmpty()) {
            text.append("; servers started: ").append(run.serverStarts().entrySet().stream()
                    .map(e -> e.getKey() + " in " + seconds(e.getValue()) + " s").collect(Collectors.joining(", ")));
        }
        for (Map.Entry<String, RunStatistics.Resource> e : run.resources().entrySet()) {
            RunStatistics.Resource r = e.getValue();
            text.append("; ").append(e.getKey()).append(": ").append(r.created()).append(" created");
            if (!r.madeFor().isEmpty()) { // why: "(4 for parallelism 4, 2 slack)"
                text.append(" (").append(r.madeFor().entrySet().stream().map(m -> m.getValue() + " " + m.getKey())
                        .collect(Collectors.joining(", "))).append(')');
            }
            if (r.used() > 0) {
                text.append(", ").append(r.used()).append(" used");
                if (r.reused() > 0) {
                    text.append(" (").append(r.reused()).append(" of them reused after a reset)");
                }
            }
            text.append(", ").append(r.removed()).append(" removed");
            if (!r.prepared().isZero()) {
                text.append(", ").append(seconds(r.prepared())).append(" s preparing in the background");
            }
        }
        if (run.parallel()) {
            text.append("; parallel execution: untracked threads were checked at the end of the run");
        }
        run.failedTests().forEach((test, had) -> text.append(System.lineSeparator()).append("[cleanroom]   failed ")
                .append(test).append(" had ").append(String.join("; ", had)));
        return text.toString();
    }

    private static long total(RunStatistics.Snapshot run, ToLongFunction<RunStatistics.Resource> f) {
        return run.resources().values().stream().mapToLong(f).sum();
    }

    private static String join(RunStatistics.Snapshot run, java.util.function.Predicate<RunStatistics.Resource> which,
                               java.util.function.BiFunction<String, RunStatistics.Resource, String> format) {
        return run.resources().entrySet().stream().filter(e -> which.test(e.getValue()))
                .map(e -> format.apply(e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1_000_000.0);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1_000_000_000.0);
    }
}
