package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Tells, from a thread's name, which library's client or pool a leaked thread belongs to
 * and what closes it. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadKinds {

    private static final Pattern KAFKA = Pattern.compile(
            "kafka-(producer-network|admin-client|coordinator-heartbeat)-thread \\| (.+)");
    private static final Pattern HIKARI = Pattern.compile("(.+?)(?::| )(housekeeper|connection-adder|connection-closer"
            + "|connection adder|connection closer)");

    private ThreadKinds() {}

    /**
     * Whether {@code name} is the thread of a long-lived Kafka client that Cleanroom made
     * itself: its client or group id starts with {@code prefix} ({@code cr<run>_}) and is
     * not test-scoped ({@code cr<run>_t...}; those are closed before any leak check, so one
     * still alive is reported).
     */
    static boolean isClientOf(String name, String prefix) {
        Matcher kafka = KAFKA.matcher(name);
        return kafka.matches() && kafka.group(2).startsWith(prefix)
                && !kafka.group(2).startsWith(prefix + "t");
    }

    /**
     * The package of the library whose client or pool the thread named {@code name} belongs
     * to (the classes that made it are in it), if we can tell.
     */
    static Optional<String> library(String name) {
        Matcher kafka = KAFKA.matcher(name);
        if (kafka.matches()) {
            return Optional.of(switch (kafka.group(1)) {
                case "producer-network" -> "org.apache.kafka.clients.producer.";
                case "admin-client" -> "org.apache.kafka.clients.admin.";
                default -> "org.apache.kafka.clients.consumer.";
            });
        }
        if (name.startsWith("consumer_background_thread")) {
            return Optional.of("org.apache.kafka.clients.consumer.");
        }
        return HIKARI.matcher(name).matches() ? Optional.of("com.zaxxer.hikari.") : Optional.empty();
    }

    /** What the thread named {@code name} is and what to do about it, if we can tell. */
    public static Optional<String> describe(String name) {
        Matcher kafka = KAFKA.matcher(name);
        if (kafka.matches()) {
            String id = kafka.group(2);
            return Optional.of(switch (kafka.group(1)) {
                case "producer-network" -> "a Kafka producer thread, client.id=" + id + ": close the producer "
                        + "(try-with-resources or close() in @AfterEach), or get it from KafkaHandle.producer(), "
                        + "which closes it";
                case "admin-client" -> "a Kafka admin client thread, client.id=" + id + ": close the Admin, or get it "
                        + "from KafkaHandle.admin(), which closes it";
                default -> "a Kafka consumer's heartbeat thread, group.id=" + id + ": close the consumer, or get it "
                        + "from KafkaHandle.consumer(group), which closes it";
            });
        }
        if (name.startsWith("consumer_background_thread")) {
            return Optional.of("a Kafka consumer thread (group.protocol=consumer): close the consumer, or get it "
                    + "from KafkaHandle.consumer(group), which closes it");
        }
        Matcher hikari = HIKARI.matcher(name);
        if (hikari.matches()) {
            return Optional.of("a HikariCP pool '" + hikari.group(1) + "': close the DataSource "
                    + "(HikariDataSource.close()), or use the one PostgresHandle gives, which is closed for you");
        }
        if (name.startsWith("PostgreSQL-JDBC-SharedTimer")) {
            return Optional.of("pgjdbc's query-timeout timer: a PostgreSQL connection that used a query timeout "
                    + "is still open; close the connection (or the pool it came from)");
        }
        if (name.startsWith("docker-java-stream") || name.startsWith("testcontainers")) {
            return Optional.of("a Testcontainers/docker-java thread of a container the test started: stop the "
                    + "container (try-with-resources, or let the Testcontainers extension manage it)");
        }
        if (name.startsWith("awaitility")) {
            return Optional.of("an Awaitility condition thread: an await is still evaluating its condition");
        }
        return Optional.empty();
    }
}
