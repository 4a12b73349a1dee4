package dev.cleanroom.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.core.spi.RunStatistics;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/**
 * Runs the generated suite one way through the JUnit Platform Launcher, with JUnit's
 * parallel execution (classes and methods concurrent, fixed parallelism), and measures it.
 * {@link #main} is one forked JVM of the benchmark: it runs one way and writes the
 * {@link Result} as a properties file.
 */
public final class SuiteRun {

    private SuiteRun() {}

    /**
     * What one run of one way measured.
     *
     * @param way the way's label
     * @param tests tests that ran
     * @param failed tests that failed
     * @param firstFailure the first failure, or empty
     * @param wallNanos the launcher's execute call, start to end (servers already running)
     * @param testNanos each test's duration (before/after-each and fixtures included), sorted
     * @param isolationNanos isolation time samples on the test thread, sorted; for Cleanroom only p50/p95 are known
     * @param isolationP50Nanos p50 of the isolation time on the test thread
     * @param isolationP95Nanos p95 of the isolation time on the test thread
     * @param topicsCreated topics created by the way
     * @param topicsUsed distinct topics the tests used
     * @param schemasCreated schemas created by the way
     * @param jvmCpuNanos CPU time of the way's JVM during the launcher's execute call (JIT and GC included)
     * @param maxInFlight the most tests running at once (between their started and finished events)
     * @param meanInFlight tests running at once, averaged over the wall time
     * @param overAdmission the first time more tests ran than the parallelism: what JUnit's workers were waiting in
     *                      then, or empty
     */
    public record Result(String way, long tests, long failed, String firstFailure, long wallNanos, long[] testNanos,
                         long isolationP50Nanos, long isolationP95Nanos, long topicsCreated, long topicsUsed,
                         long schemasCreated, long jvmCpuNanos, int maxInFlight, double meanInFlight,
                         String overAdmission) {

        long testP50() {
            return percentile(testNanos, 50);
        }

        long testP95() {
            return percentile(testNanos, 95);
        }

        void write(Path file) throws IOException {
            Properties p = new Properties();
            p.setProperty("way", way);
            p.setProperty("tests", Long.toString(tests));
            p.setProperty("failed", Long.toString(failed));
            p.setProperty("firstFailure", firstFailure);
            p.setProperty("wallNanos", Long.toString(wallNanos));
            p.setProperty("testNanos", Arrays.toString(testNanos).replaceAll("[\\[\\] ]", ""));
            p.setProperty("isolationP50Nanos", Long.toString(isolationP50Nanos));
            p.setProperty("isolationP95Nanos", Long.toString(isolationP95Nanos));
            p.setProperty("topicsCreated", Long.toString(topicsCreated));
            p.setProperty("topicsUsed", Long.toString(topicsUsed));
            p.setProperty("schemasCreated", Long.toString(schemasCreated));
            p.setProperty("jvmCpuNanos", Long.toString(jvmCpuNanos));
            p.setProperty("maxInFlight", Integer.toString(maxInFlight));
            p.setProperty("meanInFlight", Double.toString(meanInFlight));
            p.setProperty("overAdmission", overAdmission);
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "suite benchmark: one way");
            }
        }

        static Result read(Path file) throws IOException {
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            String nanos = p.getProperty("testNanos");
            long[] testNanos = nanos.isEmpty() ? new long[0]
                    : Arrays.stream(nanos.split(",")).mapToLong(Long::parseLong).toArray();
            return new Result(p.getProperty("way"), num(p, "tests"), num(p, "failed"), p.getProperty("firstFailure"),
                    num(p, "wallNanos"), testNanos, num(p, "isolationP50Nanos"), num(p, "isolationP95Nanos"),
                    num(p, "topicsCreated"), num(p, "topicsUsed"), num(p, "schemasCreated"), num(p, "jvmCpuNanos"),
                    (int) num(p, "maxInFlight"), Double.parseDouble(p.getProperty("meanInFlight")),
                    p.getProperty("overAdmission", ""));
        }

        private static long num(Properties p, String key) {
            return Long.parseLong(p.getProperty(key));
        }
    }

    /** {@code way classes testsPerClass parallelism workDir resultFile}. */
    public static void main(String[] args) throws Exception {
        Way way = Way.of(args[0]);
        Result result;
        try {
            result = run(way, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Path.of(args[4]), Map.of());
        } finally {
            SharedServers.closeIfOpen();
        }
        result.write(Path.of(args[5]));
        System.exit(0); // a client thread that outlives its close must not hold the fork open
    }

    /**
     * Generates the suite for {@code way} in {@code workDir} and runs it once in this JVM,
     * with {@code configuration} as further JUnit configuration parameters (which Cleanroom reads too).
     * Cleanroom's numbers come from the {@link RunStatistics} of that run alone.
     */
    public static Result run(Way way, int classes, int testsPerClass, int parallelism, Path workDir,
                             Map<String, String> configuration) {
        List<Class<?>> generated = GeneratedSuite.generate(way, classes, testsPerClass, workDir);
        SeenData.clear();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism",
                        Integer.toString(parallelism))
                .configurationParameters(configuration);
        generated.forEach(c -> request.selectors(selectClass(c)));
        LauncherDiscoveryRequest discovery = request.build();
        Timing timing = new Timing(parallelism);
        captured = null;
        Launcher launcher = LauncherFactory.create();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        launcher.execute(discovery, timing);
        long wall = System.nanoTime() - start;
        long jvmCpu = processCpuNanos() - cpuBefore;
        RunStatistics run = captured;
        RunStatistics.Snapshot after = (run == null ? RunStatistics.detached() : run).snapshot(); // this run's only

        long[] testNanos = timing.durations.stream().mapToLong(Long::longValue).sorted().toArray();
        long isolationP50;
        long isolationP95;
        long topicsCreated;
        long schemasCreated;
        if (way.cleanroom()) {
            isolationP50 = after.isolationP50().toNanos();
            isolationP95 = after.isolationP95().toNanos();
            topicsCreated = created(after, "topics");
            schemasCreated = created(after, "schemas");
        } else {
            long[] samples = HandWrittenWay.isolationNanos();
            isolationP50 = percentile(samples, 50);
            isolationP95 = percentile(samples, 95);
            SharedServers servers = SharedServers.get();
            topicsCreated = servers.topicsCreated.get();
            schemasCreated = servers.schemasCreated.get();
        }
        return new Result(way.label(), timing.tests(), timing.failures.size(),
                timing.failures.isEmpty() ? "" : timing.failures.peek(), wall, testNanos, isolationP50, isolationP95,
                topicsCreated, SeenData.topics().size(), schemasCreated, jvmCpu, timing.maxInFlight(),
                timing.meanInFlight(wall), timing.overAdmission());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long created(RunStatistics.Snapshot run, String kind) {
        RunStatistics.Resource r = run.resources().get(kind);
        return r == null ? 0 : r.created();
    }

    /** The statistics of the run being executed (one launcher run at a time), captured by the generated classes. */
    private static volatile RunStatistics captured;

    /** Registered by every generated Cleanroom class: remembers its run's statistics. */
    public static void capture(org.junit.jupiter.api.extension.ExtensionContext context) {
        captured = RunStatistics.of(context);
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /**
     * Each test's duration, every failure (of a test or a container) in one line, and the tests
     * in flight: how many tests are between their started and finished events, at most and on
     * average over time (JUnit fires both on the test's own thread, before its before-each
     * callbacks and after its after-each callbacks, so set-up and teardown count as in flight).
     */
    private static final class Timing implements TestExecutionListener {

        private final Map<String, Long> started = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Long> durations = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private int inFlight; // guarded by this
        private int maxInFlight; // guarded by this
        private long inFlightNanos; // guarded by this: the integral of inFlight over time
        private long lastChange; // guarded by this
        private final int parallelism;
        private String overAdmission = ""; // guarded by this

        Timing(int parallelism) {
            this.parallelism = parallelism;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                started.put(id.getUniqueId(), System.nanoTime());
                inFlight(+1);
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
                inFlight(-1);
                durations.add(System.nanoTime() - started.remove(id.getUniqueId()));
            }
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failures.add(id.getDisplayName() + " [" + id.getUniqueId() + "]: "
                        + result.getThrowable().map(SuiteRun::describe).orElse(result.getStatus().toString()));
            }
        }

        long tests() {
            return durations.size();
        }

        private synchronized void inFlight(int change) {
            long now = System.nanoTime();
            if (lastChange != 0) {
                inFlightNanos += inFlight * (now - lastChange);
            }
            lastChange = now;
            inFlight += change;
            maxInFlight = Math.max(maxInFlight, inFlight);
            if (inFlight > parallelism && overAdmission.isEmpty()) {
                overAdmission = waits();
            }
        }

        /**
         * What JUnit's ForkJoinPool workers wait in, by kind: a managed block (a future's get or
         * join: the caller's frame named) makes the pool add a worker; so can JUnit's own join of a
         * child task that another worker runs (ForkJoinTask.awaitDone).
         */
        private static String waits() {
            Map<String, Integer> kinds = new java.util.TreeMap<>();
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                if (!(e.getKey() instanceof java.util.concurrent.ForkJoinWorkerThread)) {
                    continue;
                }
                StackTraceElement[] stack = e.getValue();
                for (int i = 0; i < stack.length; i++) {
                    String frame = stack[i].getClassName() + "." + stack[i].getMethodName();
                    if (frame.equals("java.util.concurrent.ForkJoinPool.managedBlock")) {
                        int j = i + 1;
                        while (j < stack.length && (stack[j].getClassName().startsWith("java.")
                                || stack[j].getClassName().startsWith("org.apache.kafka.common.internals"))) {
                            j++;
                        }
                        kinds.merge("managedBlock at " + (j < stack.length ? stack[j] : "?"), 1, Integer::sum);
                        break;
                    }
                    if (frame.equals("java.util.concurrent.ForkJoinTask.awaitDone")) {
                        kinds.merge("JUnit's own join of a child task (ForkJoinTask.awaitDone)", 1, Integer::sum);
                        break;
                    }
                }
            }
            return kinds.isEmpty() ? "no worker waiting" : kinds.toString();
        }

        synchronized int maxInFlight() {
            return maxInFlight;
        }

        synchronized String overAdmission() {
            return overAdmission;
        }

        synchronized double meanInFlight(long wallNanos) {
            return wallNanos <= 0 ? 0 : (double) inFlightNanos / wallNanos;
        }
    }

    private static String describe(Throwable t) {
        List<String> parts = new ArrayList<>();
        for (Throwable c = t; c != null && parts.size() < 4; c = c.getCause()) {
            parts.add(c.getClass().getSimpleName() + ": " + c.getMessage());
        }
        for (Throwable s : t.getSuppressed()) {
            parts.add("suppressed " + s.getClass().getSimpleName() + ": " + s.getMessage());
        }
        return String.join(" / caused by ", parts).replace('\n', ' ');
    }
}
