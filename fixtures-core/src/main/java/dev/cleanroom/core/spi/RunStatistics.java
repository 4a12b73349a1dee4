package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.internal.LauncherRuns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the fixtures did in one JUnit run, for the end-of-run summary: resources created
 * (also ahead of demand), handed to tests and removed, by kind; background preparation
 * time; time tests waited for a prepared resource; server start times; leaks; and one
 * isolation sample per test (the time every fixture of that test together spent on the
 * test thread). Thread-safe.
 *
 * <p>One instance per run ({@link #of}), kept in the run's root store: a run nested in a
 * test (EngineTestKit) has its own numbers and never adds to the outer run's. The runs of
 * one launcher session share one instance (surefire's forks execute each class as a run of
 * its own, in one session per JVM), and a JVM that runs several launcher sessions reports
 * each on its own.
 *
 * <p>Kinds are short plural nouns such as {@code "topics"}, {@code "consumer groups"},
 * {@code "schemas"}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RunStatistics {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunStatistics.class);

    private final Map<String, LongAdder> created = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> used = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> reused = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> removed = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> madeFor = new ConcurrentHashMap<>(); // kind -> why -> count
    private final Map<String, LongAdder> preparedNanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> waitedNanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> waits = new ConcurrentHashMap<>();
    private final Map<String, Duration> serverStarts = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Long> pendingIsolation = new ConcurrentHashMap<>(); // test id -> nanos so far
    private final Map<String, List<String>> pendingResources = new ConcurrentHashMap<>(); // test id -> what it had
    private final Map<String, List<String>> failedTests = Collections.synchronizedMap(new LinkedHashMap<>());
    private final LongAdder leaks = new LongAdder();
    private final LongAdder tests = new LongAdder();
    private final LongAdder parallelTests = new LongAdder();
    private long[] isolationNanos = new long[256]; // guarded by this
    private int isolationCount; // guarded by this

    private RunStatistics() {}

    /**
     * The statistics of the JUnit run that {@code context} belongs to (its root context),
     * made on first use. Core asks for it before anything else is kept in the root store,
     * so it is closed last and sees every removal that closing the run confirms.
     */
    public static RunStatistics of(ExtensionContext context) {
        return binding(context).statistics;
    }

    /** The test methods of the launcher's plan for this run; empty while not known (for example in a nested run). */
    static java.util.Optional<List<PlannedTest>> plannedTests(ExtensionContext context) {
        LauncherRuns.Session s = binding(context).session;
        return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.planned());
    }

    /**
     * The run's statistics and plan, in its root store. A run executed by a launcher session
     * that executes several plans (surefire's forks run each class as a plan of its own)
     * adds to the session's statistics, so that the session reports once.
     */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    private static Binding binding(ExtensionContext context) {
        Binding binding = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Binding.class, k -> {
            LauncherRuns.Lifetime lifetime = LauncherRuns.lifetimeOf(context.getUniqueId());
            return new Binding(lifetime == null ? new RunStatistics() : lifetime.statistics());
        }, Binding.class);
        if (binding.session == null) {
            binding.session = LauncherRuns.bind(context.getUniqueId(), binding.statistics);
        }
        return binding;
    }

    /** Which statistics a run adds to, and the plan execution it belongs to once known. */
    private static final class Binding {
        final RunStatistics statistics;
        volatile LauncherRuns.Session session;

        Binding(RunStatistics statistics) {
            this.statistics = statistics;
        }
    }

    /** A run outside JUnit (tests of the summary, tools); never reported by the listener. */
    public static RunStatistics detached() {
        return new RunStatistics();
    }

    /** {@code count} resources of {@code kind} were created, for a test or ahead of demand. */
    public void created(String kind, long count) {
        add(created, kind, count);
    }

    /**
     * Of the created resources of {@code kind}, {@code count} were made for the reason
     * {@code why}, in words: {@code "for parallelism 4"}, {@code "slack"},
     * {@code "for waiting tests"} (see {@link PrefetchPool.Stats#made}). The summary lists
     * the reasons after the number created.
     */
    @API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
    public void made(String kind, String why, long count) {
        madeFor.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(why, k -> new LongAdder()).add(count);
    }

    /** {@code count} resources of {@code kind} were handed to a test. */
    public void used(String kind, long count) {
        add(used, kind, count);
    }

    /** {@code count} resources of {@code kind} handed to tests had been used by an earlier test and reset since. */
    public void reused(String kind, long count) {
        add(reused, kind, count);
    }

    /** {@code count} resources of {@code kind} were removed (removal confirmed). */
    public void removed(String kind, long count) {
        add(removed, kind, count);
    }

    /** Resources of {@code kind} were prepared off the test thread, taking {@code took} (summed over batches). */
    public void prepared(String kind, Duration took) {
        add(preparedNanos, kind, took.toNanos());
    }

    /** A test waited {@code waited} on its own thread for a resource of {@code kind} that was not prepared yet. */
    public void waited(String kind, Duration waited) {
        add(waitedNanos, kind, waited.toNanos());
        add(waits, kind, 1);
    }

    /** This run started the shared server of {@code technology} (on {@code engine}), which took {@code took}. */
    public void serverStarted(String technology, String engine, Duration took) {
        serverStarts.put(technology + " (" + engine + ")", took);
    }

    /** {@code count} leaks (threads, tasks, futures) were reported. */
    public void leaks(long count) {
        leaks.add(count);
    }

    /**
     * Time a fixture spent on the test thread isolating the test of {@code testContext}
     * (its setup or its teardown, not server start). Several fixtures of one test add up
     * to that test's one sample, which {@link #testFinished} records.
     */
    public void isolationTime(ExtensionContext testContext, Duration onTestThread) {
        pendingIsolation.merge(testContext.getUniqueId(), onTestThread.toNanos(), Long::sum);
    }

    /**
     * What the test of {@code testContext} had, in words (for example
     * {@code "topics orders=cr1a2b3c4d5e_p7_3p"}); if the test fails, the summary lists it.
     */
    public void resources(ExtensionContext testContext, String description) {
        pendingResources.computeIfAbsent(testContext.getUniqueId(), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(description);
    }

    /**
     * The test of {@code testContext} ended (its scope is closed): records its isolation
     * sample, and keeps what it had if it {@code failed}. Called by core.
     */
    public void testFinished(ExtensionContext testContext, boolean parallel, boolean failed) {
        tests.increment();
        List<String> had = pendingResources.remove(testContext.getUniqueId());
        if (failed && had != null) {
            failedTests.put(TestIdentity.of(testContext).readableName(), List.copyOf(had));
        }
        if (parallel) {
            parallelTests.increment();
        }
        Long nanos = pendingIsolation.remove(testContext.getUniqueId());
        if (nanos != null) {
            synchronized (this) {
                if (isolationCount == isolationNanos.length) {
                    isolationNanos = Arrays.copyOf(isolationNanos, isolationCount * 2);
                }
                isolationNanos[isolationCount++] = nanos;
            }
        }
    }

    /** The numbers so far. */
    public Snapshot snapshot() {
        long[] sorted;
        synchronized (this) {
            sorted = Arrays.copyOf(isolationNanos, isolationCount);
        }
        Arrays.sort(sorted);
        Map<String, Resource> resources = new TreeMap<>();
        List<String> kinds = new ArrayList<>();
        for (Map<String, ?> m : List.of(created, used, reused, removed, preparedNanos, waitedNanos, madeFor)) {
            m.keySet().stream().filter(k -> !kinds.contains(k)).forEach(kinds::add);
        }
        for (String kind : kinds) {
            Map<String, Long> why = new TreeMap<>();
            madeFor.getOrDefault(kind, Map.of()).forEach((reason, n) -> why.put(reason, n.sum()));
            resources.put(kind, new Resource(sum(created, kind), sum(used, kind), sum(removed, kind),
                    Duration.ofNanos(sum(preparedNanos, kind)), sum(waits, kind), Duration.ofNanos(sum(waitedNanos, kind)),
                    sum(reused, kind), Collections.unmodifiableMap(why)));
        }
        Map<String, Duration> starts;
        synchronized (serverStarts) {
            starts = new LinkedHashMap<>(serverStarts);
        }
        Map<String, List<String>> failed;
        synchronized (failedTests) {
            failed = new LinkedHashMap<>(failedTests);
        }
        return new Snapshot(tests.sum(), resources, starts, leaks.sum(), percentile(sorted, 50), percentile(sorted, 95),
                sorted.length, parallelTests.sum() > 0, failed);
    }

    /**
     * One kind of resource in a run.
     *
     * @param created made, for a test or ahead of demand
     * @param used handed to tests
     * @param removed removal confirmed
     * @param prepared time spent preparing them off the test thread (summed over batches)
     * @param waits how many times a test waited for one
     * @param waited how long tests waited for them in total
     * @param reused of the used, how many had been used by an earlier test and were reset since
     * @param madeFor of the created, how many were made for which reason ({@link #made}); empty if not told
     */
    public record Resource(long created, long used, long removed, Duration prepared, long waits, Duration waited,
                           long reused, Map<String, Long> madeFor) {

        /** A kind of resource whose reasons for being made are not told. */
        public Resource(long created, long used, long removed, Duration prepared, long waits, Duration waited,
                        long reused) {
            this(created, used, removed, prepared, waits, waited, reused, Map.of());
        }

        /** A kind of resource that is never reused. */
        public Resource(long created, long used, long removed, Duration prepared, long waits, Duration waited) {
            this(created, used, removed, prepared, waits, waited, 0);
        }
    }

    /**
     * The numbers of one run at one moment.
     *
     * @param tests tests that used a Cleanroom scope
     * @param resources by kind
     * @param serverStarts servers this run started ("kafka (testcontainers)") and how long each took
     * @param leaks leaks reported
     * @param isolationP50 median isolation time of a test on its thread (all its fixtures, setup and teardown)
     * @param isolationP95 95th percentile of the same
     * @param isolationSamples tests that recorded an isolation time (one sample per test)
     * @param parallel whether tests ran under JUnit parallel execution
     * @param failedTests what each failed test had ({@link #resources}), by test
     */
    public record Snapshot(long tests, Map<String, Resource> resources, Map<String, Duration> serverStarts, long leaks,
                           Duration isolationP50, Duration isolationP95, int isolationSamples, boolean parallel,
                           Map<String, List<String>> failedTests) {

        /** Whether nothing Cleanroom-related happened. */
        public boolean isEmpty() {
            return tests == 0 && leaks == 0 && resources.isEmpty() && serverStarts.isEmpty();
        }
    }

    private static void add(Map<String, LongAdder> counters, String kind, long n) {
        counters.computeIfAbsent(kind, k -> new LongAdder()).add(n);
    }

    private static long sum(Map<String, LongAdder> counters, String kind) {
        LongAdder adder = counters.get(kind);
        return adder == null ? 0 : adder.sum();
    }

    private static Duration percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Duration.ZERO;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, index))]);
    }
}
