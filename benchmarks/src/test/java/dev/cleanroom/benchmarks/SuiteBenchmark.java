package dev.cleanroom.benchmarks;

import static dev.cleanroom.benchmarks.SuiteRun.millis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The suite benchmark: starts a Kafka and a PostgreSQL container once, then runs the
 * generated suite ({@code suite.classes} x {@code suite.tests-per-class} tests, JUnit
 * parallel execution with fixed parallelism {@code suite.parallelism}) every {@link Way},
 * one after another, each in a fresh JVM on those servers; prints the table and the
 * goals, and writes the table to {@code <target>/suite-benchmark.tsv}.
 *
 * <p>Run with {@code ./mvnw -B -pl benchmarks -am -Psuite verify}. Exits 1 if
 * any test of any way failed (the numbers of a wrong suite mean nothing); a missed goal is
 * reported, not fatal.
 */
public final class SuiteBenchmark {

    /** The order of the runs; a small floor run first warms the servers up. */
    static final List<Way> ORDER = List.of(Way.FLOOR, Way.CLEANROOM, Way.SCHEMA_PER_TEST, Way.TRUNCATE,
            Way.FLOOR_SHORT, Way.CLEANROOM_SHORT);

    private SuiteBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "target");
        int classes = Integer.getInteger("suite.classes", 30);
        int tests = Integer.getInteger("suite.tests-per-class", 6);
        int parallelism = Integer.getInteger("suite.parallelism", 4);
        List<Way> ways = ways(System.getProperty("suite.ways", ""));
        Path work = Files.createDirectories(target.resolve("suite-benchmark"));
        System.out.printf(Locale.ROOT, "%n== Suite benchmark: %d classes x %d tests, parallelism %d, load %s%n",
                classes, tests, parallelism, loadAverage());

        Map<Way, SuiteRun.Result> results = new EnumMap<>(Way.class);
        Map<Way, ServerCpu> cpu = new EnumMap<>(Way.class);
        Map<Way, Measured> half = new EnumMap<>(Way.class);
        Measured idle = null;
        int idleParallelism = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        boolean failed = false;
        try (SingletonContainers servers = SingletonContainers.start()) {
            System.out.printf(Locale.ROOT, "servers started once: Kafka %s ms, PostgreSQL %s ms (not in any number below)%n",
                    millis(servers.kafkaStartNanos), millis(servers.postgresStartNanos));
            fork(servers, Way.FLOOR, 2, tests, parallelism, work.resolve("warm-up"));
            for (Way way : ways) {
                Measured m = measure(servers, way, way.label(), classes, tests, parallelism, work);
                results.put(way, m.result());
                cpu.put(way, m.cpu());
                failed |= m.failed(classes * tests);
            }
            // the same two ways at half the size: the difference is per-test cost, without start-up and JIT
            for (Way way : List.of(Way.FLOOR, Way.CLEANROOM)) {
                if (ways.contains(Way.FLOOR) && ways.contains(Way.CLEANROOM) && classes >= 2) {
                    Measured m = measure(servers, way, way.label() + "-half", classes / 2, tests, parallelism, work);
                    half.put(way, m);
                    failed |= m.failed((classes / 2) * tests);
                }
            }
            // isolation latency where the machine is not saturated: bodies that sleep, parallelism <= half the cores
            if (ways.contains(Way.CLEANROOM)) {
                int idleClasses = Math.min(classes, 10);
                idle = measure(servers, Way.CLEANROOM_IDLE, Way.CLEANROOM_IDLE.label(), idleClasses, tests,
                        idleParallelism, work);
                failed |= idle.failed(idleClasses * tests);
            }
        }
        List<List<String>> table = table(results, cpu, parallelism);
        print(table);
        Files.write(target.resolve("suite-benchmark.tsv"), table.stream().map(row -> String.join("\t", row)).toList());
        System.out.println("written: " + target.resolve("suite-benchmark.tsv"));
        CpuPerTest perTest = CpuPerTest.of(results, cpu, half, classes, tests);
        goals(results, parallelism, idle, idleParallelism, perTest).forEach(System.out::println);
        if (perTest != null) {
            perTest.lines().forEach(System.out::println);
        }
        cpuBound(results, cpu).forEach(System.out::println);
        System.out.println("load average at the end: " + loadAverage());
        System.exit(failed ? 1 : 0);
    }

    /** One way's run: its result and what the servers spent meanwhile. */
    record Measured(String label, SuiteRun.Result result, ServerCpu cpu) {
        boolean failed(int expectedTests) {
            if (result.failed() > 0 || result.tests() != expectedTests) {
                System.out.println("  FAILED: " + result.firstFailure());
                return true;
            }
            return false;
        }

        long totalCpuNanos() {
            return result.jvmCpuNanos() + cpu.kafkaNanos() + cpu.postgresNanos();
        }
    }

    private static Measured measure(SingletonContainers servers, Way way, String label, int classes, int tests,
                                    int parallelism, Path work) throws IOException, InterruptedException {
        long kafkaCpu = servers.kafkaCpuNanos();
        long postgresCpu = servers.postgresCpuNanos();
        SuiteRun.Result r = fork(servers, way, classes, tests, parallelism, work.resolve(label));
        ServerCpu cpu = new ServerCpu(delta(kafkaCpu, servers.kafkaCpuNanos()),
                delta(postgresCpu, servers.postgresCpuNanos()));
        System.out.printf(Locale.ROOT, "%-16s %4d tests, %d failed, wall %6.1f s, in flight mean %.1f max %d at"
                        + " parallelism %d  (load %s)%n", label, r.tests(), r.failed(), r.wallNanos() / 1e9,
                r.meanInFlight(), r.maxInFlight(), parallelism, loadAverage());
        if (!r.overAdmission().isEmpty()) {
            System.out.println("  more tests than the parallelism ran at once; JUnit's workers then waited in: "
                    + r.overAdmission());
        }
        return new Measured(label, r, cpu);
    }

    /**
     * CPU per test, from two suite sizes so that start-up and JIT drop out: (CPU of the full
     * run - CPU of the half run) / (tests of the full run - tests of the half run), for the
     * floor and Cleanroom, each {JVM, Kafka, PostgreSQL} in ms; isolation's share is
     * Cleanroom's minus the floor's. Null when the half runs were not made.
     */
    record CpuPerTest(double[] floor, double[] cleanroom) {

        static CpuPerTest of(Map<Way, SuiteRun.Result> results, Map<Way, ServerCpu> cpu, Map<Way, Measured> half,
                             int classes, int tests) {
            if (!half.containsKey(Way.FLOOR) || !half.containsKey(Way.CLEANROOM)) {
                return null;
            }
            long extraTests = (long) (classes - classes / 2) * tests;
            return new CpuPerTest(slope(results.get(Way.FLOOR), cpu.get(Way.FLOOR), half.get(Way.FLOOR), extraTests),
                    slope(results.get(Way.CLEANROOM), cpu.get(Way.CLEANROOM), half.get(Way.CLEANROOM), extraTests));
        }

        double floorTotal() {
            return floor[0] + floor[1] + floor[2];
        }

        /** Isolation's CPU per test in ms, {JVM, Kafka, PostgreSQL}. */
        double isolation(int part) {
            return cleanroom[part] - floor[part];
        }

        double isolationTotal() {
            return isolation(0) + isolation(1) + isolation(2);
        }

        List<String> lines() {
            return List.of(String.format(Locale.ROOT, "CPU per test  floor %.1f ms (JVM %.1f, Kafka %.1f, PostgreSQL"
                            + " %.1f); cleanroom %.1f ms (JVM %.1f, Kafka %.1f, PostgreSQL %.1f)", floorTotal(), floor[0],
                    floor[1], floor[2], cleanroom[0] + cleanroom[1] + cleanroom[2], cleanroom[0], cleanroom[1],
                    cleanroom[2]),
                    String.format(Locale.ROOT, "CPU per test  isolation = cleanroom - floor: %.1f ms (JVM %.1f, Kafka"
                            + " %.1f, PostgreSQL %.1f) = %.2fx the floor's CPU per test", isolationTotal(), isolation(0),
                            isolation(1), isolation(2), isolationTotal() / floorTotal()));
        }
    }

    /** Milliseconds of CPU per extra test, {JVM, Kafka, PostgreSQL}, between the full and the half run. */
    private static double[] slope(SuiteRun.Result full, ServerCpu fullCpu, Measured half, long extraTests) {
        return new double[] {
            (full.jvmCpuNanos() - half.result().jvmCpuNanos()) / 1e6 / extraTests,
            (fullCpu.kafkaNanos() - half.cpu().kafkaNanos()) / 1e6 / extraTests,
            (fullCpu.postgresNanos() - half.cpu().postgresNanos()) / 1e6 / extraTests};
    }

    /** The ways named in {@code suite.ways} (comma-separated labels, for a quick look at a few), else all, in {@link #ORDER}. */
    static List<Way> ways(String names) {
        if (names.isBlank()) {
            return ORDER;
        }
        List<String> wanted = List.of(names.trim().split("\\s*,\\s*"));
        for (String name : wanted) {
            if (ORDER.stream().noneMatch(w -> w.label().equals(name))) {
                throw new IllegalArgumentException("suite.ways names an unknown way '" + name + "'; allowed: "
                        + ORDER.stream().map(Way::label).toList());
            }
        }
        return ORDER.stream().filter(w -> wanted.contains(w.label())).toList();
    }

    private static SuiteRun.Result fork(SingletonContainers servers, Way way, int classes, int tests, int parallelism,
                                        Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path result = dir.resolve("result.properties");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        String jvmArgs = System.getProperty("suite.jvm-args", "").trim(); // e.g. -XX:+CITime, to look into one way
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        servers.properties().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-classpath", System.getProperty("java.class.path"), SuiteRun.class.getName(),
                way.label(), Integer.toString(classes), Integer.toString(tests), Integer.toString(parallelism),
                dir.toString(), result.toString()));
        Path log = dir.getParent().resolve(dir.getFileName() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("the " + way.label() + " run took more than 20 minutes; see " + log);
        }
        if (process.exitValue() != 0 || !Files.exists(result)) {
            throw new IllegalStateException("the " + way.label() + " run ended with status " + process.exitValue()
                    + " and no result; see " + log);
        }
        Files.readAllLines(log).stream().filter(l -> l.contains("[cleanroom] run summary"))
                .forEach(l -> System.out.println("  " + l));
        return SuiteRun.Result.read(result);
    }

    /**
     * CPU the two servers spent while one way ran (its whole JVM, start to exit), in nanoseconds;
     * -1 when Docker did not say.
     */
    record ServerCpu(long kafkaNanos, long postgresNanos) {}

    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    static List<List<String>> table(Map<Way, SuiteRun.Result> results, Map<Way, ServerCpu> cpu, int parallelism) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("way", "tests", "failed", "wall_s", "test_p50_ms", "test_p95_ms", "isolation_p50_ms",
                "isolation_p95_ms", "in_flight_mean", "in_flight_max", "topics_created", "topics_used",
                "schemas_created", "cpu_jvm_s", "cpu_kafka_s", "cpu_postgres_s", "x_floor", "x_truncate",
                "x_schema_per_test"));
        for (Way way : ORDER) {
            SuiteRun.Result r = results.get(way);
            if (r == null) {
                continue;
            }
            Way floor = way.shape() == Shape.SHORT ? Way.FLOOR_SHORT : Way.FLOOR;
            rows.add(List.of(way.label(), Long.toString(r.tests()), Long.toString(r.failed()),
                    String.format(Locale.ROOT, "%.1f", r.wallNanos() / 1e9), millis(r.testP50()), millis(r.testP95()),
                    millis(r.isolationP50Nanos()), millis(r.isolationP95Nanos()),
                    String.format(Locale.ROOT, "%.1f", r.meanInFlight()), r.maxInFlight() + "/" + parallelism,
                    Long.toString(r.topicsCreated()),
                    Long.toString(r.topicsUsed()), Long.toString(r.schemasCreated()), seconds(r.jvmCpuNanos()),
                    seconds(cpu.get(way).kafkaNanos()), seconds(cpu.get(way).postgresNanos()),
                    ratio(r, results.get(floor)), ratio(r, results.get(Way.TRUNCATE)),
                    ratio(r, results.get(Way.SCHEMA_PER_TEST))));
        }
        return rows;
    }

    private static String seconds(long nanos) {
        return nanos < 0 ? "?" : String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    /**
     * The limit the machine sets: a way that needs C seconds of CPU on N cores cannot end in
     * less than C/N seconds. One line per way run, with that bound as a multiple of the floor's wall.
     */
    static List<String> cpuBound(Map<Way, SuiteRun.Result> results, Map<Way, ServerCpu> cpu) {
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> lines = new ArrayList<>();
        for (Way way : ORDER) {
            SuiteRun.Result r = results.get(way);
            ServerCpu servers = cpu.get(way);
            if (r == null || servers.kafkaNanos() < 0 || servers.postgresNanos() < 0) {
                continue;
            }
            long total = r.jvmCpuNanos() + servers.kafkaNanos() + servers.postgresNanos();
            SuiteRun.Result floor = results.get(way.shape() == Shape.SHORT ? Way.FLOOR_SHORT : Way.FLOOR);
            lines.add(String.format(Locale.ROOT, "CPU  %-16s %6.1f s (JVM %.1f, Kafka %.1f, PostgreSQL %.1f): on %d cores"
                            + " no wall below %.1f s%s", way.label(), total / 1e9, r.jvmCpuNanos() / 1e9,
                    servers.kafkaNanos() / 1e9, servers.postgresNanos() / 1e9, cores, total / 1e9 / cores,
                    floor == null ? "" : String.format(Locale.ROOT, " = %.2fx the floor's wall",
                            (double) total / cores / floor.wallNanos())));
        }
        return lines;
    }

    private static String ratio(SuiteRun.Result r, SuiteRun.Result base) {
        return base == null ? "" : String.format(Locale.ROOT, "%.2f", (double) r.wallNanos() / base.wallNanos());
    }

    private static void print(List<List<String>> table) {
        int[] widths = new int[table.get(0).size()];
        table.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        System.out.println();
        for (List<String> row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == 0 ? String.format("%-" + widths[i] + "s", row.get(i))
                        : String.format("  %" + widths[i] + "s", row.get(i)));
            }
            System.out.println(line);
        }
        System.out.println();
    }

    /** One line per goal: PASS or MISS, with the measured value. */
    static List<String> goals(Map<Way, SuiteRun.Result> results, int parallelism, Measured idle, int idleParallelism,
                              CpuPerTest cpuPerTest) {
        SuiteRun.Result cr = results.get(Way.CLEANROOM);
        SuiteRun.Result floor = results.get(Way.FLOOR);
        SuiteRun.Result spt = results.get(Way.SCHEMA_PER_TEST);
        SuiteRun.Result truncate = results.get(Way.TRUNCATE);
        List<String> lines = new ArrayList<>();
        int maxInFlight = results.values().stream().mapToInt(SuiteRun.Result::maxInFlight).max().orElse(0);
        lines.add(goal(maxInFlight <= parallelism, "tests in flight <= parallelism " + parallelism + ", every way",
                "max " + maxInFlight));
        if (idle != null) {
            SuiteRun.Result r = idle.result();
            lines.add(goal(r.isolationP50Nanos() <= 100_000L && r.isolationP95Nanos() <= 1_000_000L,
                    "unsaturated isolation (parallelism " + idleParallelism + ", idle bodies) p50 <= 0.1 ms, p95 <= 1 ms",
                    millis3(r.isolationP50Nanos()) + " / " + millis3(r.isolationP95Nanos()) + " ms"));
        }
        if (cpuPerTest != null) {
            double ratio = cpuPerTest.isolationTotal() / cpuPerTest.floorTotal();
            lines.add(goal(ratio <= 0.25, "isolation CPU per test <= 0.25x the floor's CPU per test",
                    String.format(Locale.ROOT, "%.1f ms / %.1f ms = %.2fx", cpuPerTest.isolationTotal(),
                            cpuPerTest.floorTotal(), ratio)));
            lines.add(goal(cpuPerTest.isolation(2) <= 10, "isolation CPU per test on PostgreSQL <= 10 ms",
                    String.format(Locale.ROOT, "%.1f ms", cpuPerTest.isolation(2))));
        }
        if (cr == null || floor == null || spt == null || truncate == null) {
            lines.add("GOALS not checked: a run is missing");
            return lines;
        }
        double xFloor = (double) cr.wallNanos() / floor.wallNanos();
        double xSpt = (double) cr.wallNanos() / spt.wallNanos();
        double xTruncate = (double) cr.wallNanos() / truncate.wallNanos();
        lines.add(goal(xFloor <= 1.15, "Cleanroom wall <= 1.15x the floor", fmt(xFloor) + "x"));
        lines.add(goal(xSpt <= 0.65, "Cleanroom wall <= 0.65x hand-written schema per test", fmt(xSpt) + "x"));
        lines.add(goal(xSpt < 1 && xTruncate < 1, "Cleanroom faster than every hand-written way",
                fmt(xSpt) + "x schema per test, " + fmt(xTruncate) + "x singleton + TRUNCATE"));
        lines.add(goal(cr.isolationP95Nanos() <= 20_000_000L, "saturated isolation on the test thread p95 <= 20 ms",
                millis(cr.isolationP50Nanos()) + " / " + millis(cr.isolationP95Nanos()) + " ms (p50 / p95)"));
        double topics = cr.topicsUsed() == 0 ? Double.NaN : (double) cr.topicsCreated() / cr.topicsUsed();
        lines.add(goal(topics <= 1.2, "topics created <= 1.2x topics used",
                cr.topicsCreated() + " / " + cr.topicsUsed() + " = " + fmt(topics) + "x"));
        return lines;
    }

    private static String millis3(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String goal(boolean met, String goal, String measured) {
        return String.format(Locale.ROOT, "GOAL %-4s %-55s measured %s", met ? "PASS" : "MISS", goal, measured);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2] + " on " + Runtime.getRuntime().availableProcessors()
                    + " cores";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
