package dev.cleanroom.kafka;


import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.kafka.internal.KafkaServerProvider;
import dev.cleanroom.testkit.EngineKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Per-test isolation cost on the test thread for two topics and a consumer group, beside
 * the naive ways measured in the same run. Not a test: run it with
 * {@code mvn -B -q -pl fixtures-kafka -am -Pbenchmark -DskipTests verify}.
 * Writes {@code target/benchmark-kafka.txt}.
 */
public final class KafkaBenchmark {

    static final int TESTS = 300;
    static final int ADMIN_TESTS = 30;
    static final int CONTAINERS = 3;
    static final int SENDS = 300;
    static final Map<String, List<Long>> NANOS = new ConcurrentHashMap<>();

    private KafkaBenchmark() {}

    /** Time on the test thread outside the test body: (before each → body) + (body → after each). Registered outermost. */
    static final class Timing implements BeforeEachCallback, BeforeTestExecutionCallback, AfterTestExecutionCallback,
            AfterEachCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Timing.class);

        @Override
        public void beforeEach(ExtensionContext c) {
            c.getStore(NS).put("t0", System.nanoTime());
        }

        @Override
        public void beforeTestExecution(ExtensionContext c) {
            c.getStore(NS).put("t1", System.nanoTime());
        }

        @Override
        public void afterTestExecution(ExtensionContext c) {
            c.getStore(NS).put("t2", System.nanoTime());
        }

        @Override
        public void afterEach(ExtensionContext c) {
            long t3 = System.nanoTime();
            long t0 = c.getStore(NS).get("t0", Long.class);
            long t1 = c.getStore(NS).get("t1", Long.class);
            long t2 = c.getStore(NS).get("t2", Long.class);
            record(c.getRequiredTestClass().getSimpleName(), (t1 - t0) + (t3 - t2));
        }
    }

    static void record(String what, long nanos) {
        NANOS.computeIfAbsent(what, k -> Collections.synchronizedList(new ArrayList<>())).add(nanos);
    }

    @NestedStatistics.Fixture
    @ExtendWith(Timing.class)
    @IsolatedKafka(topics = {@Topic(name = "orders", partitions = 3), @Topic(name = "audit")})
    static class Cleanroom {
        @RepeatedTest(TESTS)
        void test(KafkaHandle kafka) {
            kafka.groupId("workers");
        }
    }

    /** Baseline (a): AdminClient create + delete of two topics in each test. */
    static final class AdminPerTest implements BeforeEachCallback, AfterEachCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AdminPerTest.class);
        private static volatile Admin admin;

        @Override
        public void beforeEach(ExtensionContext c) throws Exception {
            if (admin == null) {
                admin = Admin.create(Map.of("bootstrap.servers",
                        Fixtures.sharedServer(c, KafkaServerProvider.class).bootstrapServers()));
            }
            String prefix = "bench_admin_" + System.nanoTime();
            List<String> names = List.of(prefix + "_orders", prefix + "_audit");
            admin.createTopics(List.of(new NewTopic(names.get(0), Optional.of(3), Optional.empty()),
                    new NewTopic(names.get(1), Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            c.getStore(NS).put("names", names);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void afterEach(ExtensionContext c) throws Exception {
            admin.deleteTopics(c.getStore(NS).get("names", List.class)).all().get(30, TimeUnit.SECONDS);
        }
    }

    @NestedStatistics.Fixture
    @ExtendWith(Timing.class)
    @ExtendWith(AdminPerTest.class)
    @IsolatedKafka
    static class AdminCreateDelete {
        @RepeatedTest(ADMIN_TESTS)
        void test() {}
    }

    /** Floor: one produce-acknowledge round trip. */
    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "floor"))
    static class Floor {
        @Test
        void produceAck(KafkaHandle kafka) throws Exception {
            KafkaProducer<String, String> producer = kafka.producer();
            for (int i = 0; i < SENDS + 20; i++) {
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(kafka.topic("floor"), "k", "v")).get();
                if (i >= 20) { // warm-up
                    record("Floor", System.nanoTime() - t0);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        EngineExecutionResults results = EngineKit.run(java.util.Map.of(), Floor.class, Cleanroom.class, AdminCreateDelete.class);
        results.testEvents().failed().stream().forEach(e -> System.err.println("failed: " + e.getTestDescriptor().getDisplayName()
                + ": " + e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Object::toString).orElse("?")));
        results.testEvents().assertStatistics(s -> s.failed(0));
        var topics = NestedStatistics.lastRun("topics");
        AdminPerTest.admin.close();
        String image = System.getenv().getOrDefault("CLEANROOM_KAFKA_IMAGE", "apache/kafka:4.4.0");
        int failedStarts = 0;
        for (int i = 0; i < CONTAINERS; i++) {
            long t0 = System.nanoTime();
            try (KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))) {
                kafka.start();
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.getBootstrapServers()))) {
                    admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1), new NewTopic("audit", 1, (short) 1)))
                            .all().get(60, TimeUnit.SECONDS);
                }
                record("Container", System.nanoTime() - t0);
            } catch (RuntimeException e) { // a start that times out on a loaded machine is reported, not fatal
                failedStarts++;
                System.err.println("fresh container " + (i + 1) + " did not start: " + e);
            }
        }
        double cleanroom = p(NANOS.get("Cleanroom"), 50);
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-58s %8s %10s %10s%n", "per test, on the test thread (2 topics + 1 group)", "samples", "p50 ms", "p95 ms"));
        row(table, "@IsolatedKafka (prefetched topics, background deletion)", "Cleanroom", cleanroom);
        row(table, "(a) AdminClient create + delete in each test", "AdminCreateDelete", cleanroom);
        if (NANOS.containsKey("Container")) {
            row(table, "(b) fresh KafkaContainer per test (start, create, stop)", "Container", cleanroom);
        }
        if (failedStarts > 0) {
            table.append("(b) ").append(failedStarts).append(" of ").append(CONTAINERS)
                    .append(" fresh containers did not start within Testcontainers' timeout\n");
        }
        row(table, "floor: produce-acknowledge round trip", "Floor", cleanroom);
        table.append(String.format("@IsolatedKafka topics in the run: %d created, %d used (%.2fx), tests waited %d times,"
                + " %.1f s of background creation requests%n", topics.created(), topics.used(),
                (double) topics.created() / topics.used(), topics.waits(), topics.prepared().toMillis() / 1000.0));
        table.append("engine: ").append(System.getenv().getOrDefault("CLEANROOM_KAFKA_ENGINE", "auto"))
                .append(", image ").append(image).append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs\n");
        System.out.print(table);
        Path out = Path.of("target", "benchmark-kafka.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.println("written to " + out.toAbsolutePath());
    }

    private static void row(StringBuilder table, String label, String key, double cleanroomP50) {
        List<Long> nanos = NANOS.get(key);
        double p50 = p(nanos, 50);
        table.append(String.format("%-58s %8d %10.3f %10.3f%s%n", label, nanos.size(), p50, p(nanos, 95),
                key.equals("Cleanroom") || key.equals("Floor") ? "" : String.format("   (%.0fx @IsolatedKafka)", p50 / cleanroomP50)));
    }

    private static double p(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(index) / 1e6;
    }
}
