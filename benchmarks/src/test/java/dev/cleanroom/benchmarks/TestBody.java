package dev.cleanroom.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The body every generated test runs, the same for every way: insert a few rows, produce
 * records to the class's two topics, consume them with the test's consumer group, and
 * assert that the test sees exactly its own data.
 *
 * <p>In an isolated way ({@code exclusive}) everything in the tables and topics must be the
 * test's own: the counts are of whole tables and of every record consumed. Without isolation
 * (the floor) a test can only count what carries its own key.
 */
public final class TestBody {

    /** How long a test polls for its records at most. */
    static final Duration POLL_DEADLINE = Duration.ofSeconds(30);

    /** Opens a connection to the test's tables (the caller's schema already selected). */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private TestBody() {}

    /**
     * Runs the body.
     *
     * @param db the test's tables
     * @param producer a String producer (not closed here)
     * @param consumer a String consumer in the test's group (not closed here)
     * @param topics the class's two topics, physical names
     * @param key a key unique to this test
     */
    public static void run(Connections db, Producer<String, String> producer, Consumer<String, String> consumer,
                           List<String> topics, String key, Shape shape, boolean exclusive) throws Exception {
        try (Connection c = db.open()) {
            insertRows(c, key, shape.rows());
            assertOwnRows(c, key, shape.rows(), exclusive);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < shape.records(); i++) {
            sent.add(producer.send(new ProducerRecord<>(topics.get(i % 2), key, key + "#" + i)));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
        List<ConsumerRecord<String, String>> seen = consume(consumer, topics, key, shape.records());
        List<String> own = seen.stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).sorted().toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < shape.records(); i++) {
            expected.add(key + "#" + i);
        }
        assertThat(own).as("own records").containsExactlyElementsOf(expected.stream().sorted().toList());
        if (exclusive) {
            assertThat(seen).as("records consumed from the test's topics").hasSize(shape.records());
        }
        for (String topic : topics) {
            SeenData.topicUsed(topic);
        }
        if (shape.sleepMillis() > 0) {
            Thread.sleep(shape.sleepMillis()); // the idle body: a test that waits, not one that computes
        }
    }

    private static void insertRows(Connection c, String key, int rows) throws SQLException {
        long customer;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO customers (ext_key, name, email) VALUES (?, ?, ?) RETURNING id")) {
            ps.setString(1, key);
            ps.setString(2, "Customer " + key);
            ps.setString(3, key + "@example.com");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                customer = rs.getLong(1);
            }
        }
        if (rows > 1) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO orders (customer_id, ext_key, total) VALUES (?, ?, ?)")) {
                for (int i = 1; i < rows; i++) {
                    ps.setLong(1, customer);
                    ps.setString(2, key);
                    ps.setBigDecimal(3, java.math.BigDecimal.valueOf(10L * i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static void assertOwnRows(Connection c, String key, int rows, boolean exclusive) throws SQLException {
        String where = exclusive ? "" : " WHERE ext_key = ?";
        assertThat(count(c, "SELECT count(*) FROM customers" + where, exclusive, key)).as("customers").isEqualTo(1);
        assertThat(count(c, "SELECT count(*) FROM orders" + where, exclusive, key)).as("orders").isEqualTo(rows - 1);
        if (exclusive) {
            assertThat(count(c, "SELECT count(*) FROM customers WHERE ext_key <> ?", false, key))
                    .as("customers of other tests").isZero();
        }
    }

    private static long count(Connection c, String sql, boolean exclusive, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (!exclusive) {
                ps.setString(1, key);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<ConsumerRecord<String, String>> consume(Consumer<String, String> consumer, List<String> topics,
                                                                String key, int expected) {
        consumer.subscribe(topics);
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + POLL_DEADLINE.toNanos();
        int own = 0;
        while (own < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                seen.add(r);
                if (key.equals(r.key())) {
                    own++;
                }
            }
        }
        consumer.commitSync();
        return seen;
    }
}
