package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;

/**
 * Counters that the fixtures keep for the end-of-run summary: how many isolated
 * resources of each kind were created and removed, how many leaks were found, and how
 * long isolation took on the test thread. Thread-safe; JVM-wide.
 *
 * <p>Kinds are short plural nouns such as {@code "topics"}, {@code "consumer groups"},
 * {@code "schemas"}.
 */
@API(status = STABLE, since = "0.1")
public final class RunStatistics {

    private static final Map<String, LongAdder> CREATED = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> REMOVED = new ConcurrentHashMap<>();
    private static final LongAdder LEAKS = new LongAdder();
    private static final LongAdder TESTS = new LongAdder();
    private static long[] isolationNanos = new long[1024]; // guarded by RunStatistics.class
    private static int isolationCount; // guarded by RunStatistics.class

    private RunStatistics() {}

    /** {@code count} resources of {@code kind} were created for tests. */
    public static void created(String kind, long count) {
        CREATED.computeIfAbsent(kind, k -> new LongAdder()).add(count);
    }

    /** {@code count} resources of {@code kind} were removed (removal confirmed). */
    public static void removed(String kind, long count) {
        REMOVED.computeIfAbsent(kind, k -> new LongAdder()).add(count);
    }

    /** {@code count} leaks (threads, tasks, futures) were reported. */
    public static void leaks(long count) {
        LEAKS.add(count);
    }

    /** One test that used a Cleanroom scope finished. */
    public static void testFinished() {
        TESTS.increment();
    }

    /** Time a fixture spent on the test thread isolating one test (setup plus teardown). */
    public static synchronized void isolationTime(Duration onTestThread) {
        if (isolationCount == isolationNanos.length) {
            isolationNanos = Arrays.copyOf(isolationNanos, isolationCount * 2);
        }
        isolationNanos[isolationCount++] = onTestThread.toNanos();
    }

    /** A snapshot for the summary. */
    public static Snapshot snapshot() {
        long[] sorted;
        synchronized (RunStatistics.class) {
            sorted = Arrays.copyOf(isolationNanos, isolationCount);
        }
        Arrays.sort(sorted);
        return new Snapshot(TESTS.sum(), totals(CREATED), totals(REMOVED), LEAKS.sum(),
                percentile(sorted, 50), percentile(sorted, 95), sorted.length);
    }

    /**
     * Totals at one moment.
     *
     * @param tests tests that used a Cleanroom scope
     * @param created created resources by kind
     * @param removed removed resources by kind
     * @param leaks leaks reported
     * @param isolationP50 median isolation time on the test thread
     * @param isolationP95 95th percentile isolation time on the test thread
     * @param isolationSamples how many isolation times were recorded
     */
    public record Snapshot(long tests, Map<String, Long> created, Map<String, Long> removed, long leaks,
                           Duration isolationP50, Duration isolationP95, int isolationSamples) {}

    private static Map<String, Long> totals(Map<String, LongAdder> counters) {
        Map<String, Long> totals = new TreeMap<>();
        counters.forEach((k, v) -> totals.put(k, v.sum()));
        return totals;
    }

    private static Duration percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Duration.ZERO;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, index))]);
    }
}
