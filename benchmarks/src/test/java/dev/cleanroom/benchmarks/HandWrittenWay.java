package dev.cleanroom.benchmarks;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The ways a team writes isolation by hand, on the same singleton servers: each generated
 * test class holds one instance per test (JUnit's default lifecycle) and calls
 * {@link #before()}, {@link #test(Shape)} and {@link #after()}. The time spent in
 * {@code before} and {@code after} on the test thread is this way's isolation time.
 */
public abstract class HandWrittenWay {

    private static long[] isolationNanos = new long[1024]; // guarded by HandWrittenWay.class
    private static int isolationCount; // guarded by HandWrittenWay.class

    final SharedServers servers = SharedServers.get();
    final String classToken;
    final String key;
    private long isolationSoFar;

    HandWrittenWay(String classToken) {
        this.classToken = classToken;
        this.key = classToken + "-" + UUID.randomUUID();
    }

    /** The way named {@code way} ({@code floor}, {@code truncate} or {@code schema-per-test}) for one test. */
    public static HandWrittenWay create(String way, String classToken) {
        return switch (way) {
            case "floor" -> new Floor(classToken);
            case "truncate" -> new Truncate(classToken);
            case "schema-per-test" -> new SchemaPerTest(classToken);
            default -> throw new IllegalArgumentException("no hand-written way '" + way
                    + "'; allowed: floor, truncate, schema-per-test");
        };
    }

    /** Before each test. */
    public final void before() throws Exception {
        long start = System.nanoTime();
        isolate();
        isolationSoFar = System.nanoTime() - start;
    }

    /** The test body. */
    public final void test(Shape shape) throws Exception {
        String group = groupName();
        SeenData.groupUsed(group);
        try (KafkaConsumer<String, String> consumer = servers.consumer(group)) {
            TestBody.run(connections(), servers.producer, consumer, topics(), key, shape, exclusive());
        }
    }

    /** After each test. */
    public final void after() throws Exception {
        long isolationStart = System.nanoTime();
        try {
            release();
        } finally {
            recordIsolation(isolationSoFar + System.nanoTime() - isolationStart);
        }
    }

    abstract void isolate() throws Exception;

    abstract void release() throws Exception;

    abstract TestBody.Connections connections();

    abstract List<String> topics();

    abstract boolean exclusive();

    String groupName() {
        return "hw_" + servers.token + "_" + key;
    }

    private static synchronized void recordIsolation(long nanos) {
        if (isolationCount == isolationNanos.length) {
            isolationNanos = Arrays.copyOf(isolationNanos, isolationCount * 2);
        }
        isolationNanos[isolationCount++] = nanos;
    }

    /** Isolation times recorded so far, sorted. */
    static synchronized long[] isolationNanos() {
        long[] copy = Arrays.copyOf(isolationNanos, isolationCount);
        Arrays.sort(copy);
        return copy;
    }

    /**
     * One schema and one pair of topics per class, made once per JVM and shared by the
     * ways that share state (floor, truncate).
     */
    abstract static class Shared extends HandWrittenWay {

        private static final ConcurrentMap<String, Object> SCHEMAS = new ConcurrentHashMap<>();
        private static final ConcurrentMap<String, List<String>> TOPICS = new ConcurrentHashMap<>();
        private static final ConcurrentMap<String, TestBody.Connections> POOLS = new ConcurrentHashMap<>();

        private final String schema;

        Shared(String classToken, String prefix) {
            super(classToken);
            this.schema = prefix + "_" + servers.token;
        }

        @Override
        TestBody.Connections connections() {
            SCHEMAS.computeIfAbsent(schema, s -> {
                servers.migrate(s);
                return s;
            });
            return POOLS.computeIfAbsent(schema, s -> servers.pool(s, SharedServers.POOL_SIZE)::getConnection);
        }

        @Override
        List<String> topics() {
            return TOPICS.computeIfAbsent(classToken, c -> {
                List<String> names = List.of(schema + "_" + c + "_orders", schema + "_" + c + "_events");
                try {
                    servers.createTopics(names);
                } catch (Exception e) {
                    throw new IllegalStateException("creating topics " + names, e);
                }
                return names;
            });
        }
    }

    /** Way (d), the floor: shared schema and topics, no isolation; tests count only what carries their own key. */
    static final class Floor extends Shared {

        Floor(String classToken) {
            super(classToken, "floor");
        }

        @Override
        void isolate() {}

        @Override
        void release() {}

        @Override
        boolean exclusive() {
            return false;
        }
    }

    /**
     * Way (b): singleton servers, and before each test every table is truncated and the
     * class's topics are emptied (records deleted up to their end). That is only correct if
     * no other test runs meanwhile, so every test of this way takes one JUnit resource lock
     * ({@code @ResourceLock("suite-data")} in the generated class): the suite runs one test
     * at a time, whatever the parallelism.
     */
    static final class Truncate extends Shared {

        private static final String TABLES = "customers, addresses, categories, products, orders, order_lines, "
                + "payments, shipments, inventory, audit_log, outbox";

        Truncate(String classToken) {
            super(classToken, "truncate");
        }

        @Override
        void isolate() throws Exception {
            try (Connection c = connections().open(); Statement st = c.createStatement()) {
                st.execute("TRUNCATE " + TABLES + " RESTART IDENTITY CASCADE");
            }
            Map<TopicPartition, ListOffsetsResultInfo> ends = servers.endOffsets(topics());
            Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
            ends.forEach((p, info) -> deletions.put(p, RecordsToDelete.beforeOffset(info.offset())));
            SharedServers.await(servers.admin.deleteRecords(deletions).all());
        }

        @Override
        void release() {}

        @Override
        boolean exclusive() {
            return true;
        }
    }

    /**
     * Way (c): what a team writes inline: before each test, a fresh schema migrated with
     * Flyway and two topics made with the admin client; after it, the schema dropped and
     * the topics and the group deleted. Runs in parallel.
     */
    static final class SchemaPerTest extends HandWrittenWay {

        private final String schema;
        private final List<String> topics;

        SchemaPerTest(String classToken) {
            super(classToken);
            this.schema = "spt_" + servers.token + "_" + key.replace('-', '_');
            this.topics = List.of(schema + "_orders", schema + "_events");
        }

        @Override
        void isolate() throws Exception {
            servers.migrate(schema);
            servers.createTopics(topics);
        }

        @Override
        void release() throws Exception {
            try (Connection c = servers.pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            SharedServers.await(servers.admin.deleteTopics(topics).all());
            SharedServers.await(servers.admin.deleteConsumerGroups(List.of(groupName())).all());
        }

        @Override
        TestBody.Connections connections() {
            return () -> {
                Connection c = servers.pool.getConnection();
                c.setSchema(schema);
                return c;
            };
        }

        @Override
        List<String> topics() {
            return topics;
        }

        @Override
        boolean exclusive() {
            return true;
        }
    }
}
