package dev.cleanroom.examples.spring.bench;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.examples.spring.bench.SpringBenchRun.Way;
import dev.cleanroom.kafka.KafkaSettings;
import dev.cleanroom.postgres.PostgresSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Spring benchmark, beside the suite benchmark and in its style: starts a Kafka and a
 * PostgreSQL container once, then runs the same tests ({@link BenchSuite}, 6 classes x 4
 * tests) each {@link Way}, one after another, each in a fresh JVM on those servers: Cleanroom
 * in one cached context with parallel execution, a new context per class
 * ({@code @DirtiesContext}) + TRUNCATE, and one shared context + TRUNCATE. Prints wall time and
 * per-test p50/p95 and writes {@code <target>/spring-benchmark.tsv}. Exits 1 if any test
 * failed. Run: {@code ./mvnw -B -pl examples-spring -am -Psuite verify}.
 */
public final class SpringBenchmark {

    private SpringBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "target");
        Path work = Files.createDirectories(target.resolve("spring-benchmark"));
        Configuration config = Configuration.load(SpringBenchmark.class.getClassLoader(), key -> Optional.empty());
        Duration startTimeout = config.get(CoreSettings.SERVER_START_TIMEOUT);
        System.out.printf(Locale.ROOT, "%n== Spring benchmark: 6 classes x 4 tests per way, load %s%n", load());
        List<String[]> rows = new ArrayList<>();
        boolean failed = false;
        try (KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(config.get(KafkaSettings.IMAGE))
                     .asCompatibleSubstituteFor("apache/kafka"))
                     .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                     .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1").withStartupTimeout(startTimeout);
             PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(config.get(PostgresSettings.IMAGE))
                     .asCompatibleSubstituteFor("postgres"))
                     .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300")
                     .withStartupTimeout(startTimeout)) {
            kafka.start();
            postgres.start();
            prepareHandWritten(kafka.getBootstrapServers(), postgres);
            for (Way way : Way.values()) {
                Map<String, String> properties = new LinkedHashMap<>();
                if (way == Way.CLEANROOM) {
                    properties.put("cleanroom.kafka.engine", "external");
                    properties.put("cleanroom.kafka.bootstrap-servers", kafka.getBootstrapServers());
                    properties.put("cleanroom.postgres.engine", "external");
                    properties.put("cleanroom.postgres.url", postgres.getJdbcUrl());
                    properties.put("cleanroom.postgres.user", postgres.getUsername());
                    properties.put("cleanroom.postgres.password", postgres.getPassword());
                } else {
                    properties.put("spring.kafka.bootstrap-servers", kafka.getBootstrapServers());
                    properties.put("spring.datasource.url", postgres.getJdbcUrl());
                    properties.put("spring.datasource.username", postgres.getUsername());
                    properties.put("spring.datasource.password", postgres.getPassword());
                }
                Properties r = fork(way, properties, work);
                long[] tests = Arrays.stream(r.getProperty("testNanos", "").split(",")).filter(s -> !s.isEmpty())
                        .mapToLong(Long::parseLong).sorted().toArray();
                long failures = Long.parseLong(r.getProperty("failed", "1"));
                System.out.printf(Locale.ROOT, "%-40s %3d tests, %d failed, wall %6.1f s (load %s)%n", way.label,
                        tests.length, failures, Long.parseLong(r.getProperty("wallNanos", "0")) / 1e9, load());
                if (failures > 0 || tests.length != 24) {
                    System.out.println("  FAILED: " + r.getProperty("firstFailure"));
                    failed = true;
                }
                rows.add(new String[] {way.label, Integer.toString(tests.length),
                        String.format(Locale.ROOT, "%.1f", Long.parseLong(r.getProperty("wallNanos", "0")) / 1e9),
                        String.format(Locale.ROOT, "%.0f", percentile(tests, 50) / 1e6),
                        String.format(Locale.ROOT, "%.0f", percentile(tests, 95) / 1e6)});
            }
        }
        List<String> table = new ArrayList<>(List.of("way\ttests\twall s\ttest p50 ms\ttest p95 ms"));
        rows.forEach(row -> table.add(String.join("\t", row)));
        System.out.println();
        System.out.println("| way | tests | wall | test p50 | test p95 |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        rows.forEach(row -> System.out.printf(Locale.ROOT, "| %s | %s | %s s | %s ms | %s ms |%n", (Object[]) row));
        Files.write(target.resolve("spring-benchmark.tsv"), table);
        System.out.println("written: " + target.resolve("spring-benchmark.tsv") + "; load average at the end: " + load());
        System.exit(failed ? 1 : 0);
    }

    /** The hand-written ways' database and topics: the application's migrations on the shared database, its two topics. */
    private static void prepareHandWritten(String bootstrap, PostgreSQLContainer postgres) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
             Statement s = c.createStatement()) {
            for (String script : List.of("db/migration/V1__hooks.sql", "db/migration/V2__workflows.sql")) {
                try (InputStream in = SpringBenchmark.class.getClassLoader().getResourceAsStream(script)) {
                    s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("hooks", 1, (short) 1), new NewTopic("workflow-completions", 1,
                    (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    private static Properties fork(Way way, Map<String, String> properties, Path work)
            throws IOException, InterruptedException {
        Path result = work.resolve(way.name() + ".properties");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-classpath", System.getProperty("java.class.path"), SpringBenchRun.class.getName(),
                way.name(), result.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(way.name() + ".log").toFile()).start();
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(way + " did not finish within 20 minutes; log: " + work.resolve(way.name() + ".log"));
        }
        Properties p = new Properties();
        if (Files.exists(result)) {
            try (InputStream in = Files.newInputStream(result)) {
                p.load(in);
            }
        } else {
            p.setProperty("firstFailure", "no result (exit " + process.exitValue() + "); log: " + work.resolve(way.name() + ".log"));
        }
        return p;
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
