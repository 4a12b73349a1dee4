package dev.cleanroom.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cleanroom.core.spi.Park;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;

/**
 * What a team's hand-written test support holds for the whole JVM: an admin client, one
 * shared producer and a HikariCP pool on the singleton servers, whose addresses are the
 * ones Cleanroom's external engine is given ({@code cleanroom.kafka.bootstrap-servers},
 * {@code cleanroom.postgres.url}, {@code .user}, {@code .password}). Also counts the
 * topics and schemas the hand-written ways create.
 */
final class SharedServers {

    static final String MIGRATIONS = "classpath:db/suite";
    /**
     * Connections per pool. JUnit's fork-join pool runs more tests at once than its
     * parallelism while tests block, and Flyway holds connections while it migrates: 8 ran
     * dry under load (30 s timeouts in schema-per-test), so a team would give it more.
     */
    static final int POOL_SIZE = 24;
    private static SharedServers instance; // guarded by SharedServers.class

    /** Unique to this JVM, so that the ways' names never meet on the shared servers. */
    final String token = Long.toString(System.currentTimeMillis() % 2_176_782_336L, 36);
    final String bootstrap;
    final Admin admin;
    final KafkaProducer<String, String> producer;
    final HikariDataSource pool;
    final AtomicLong topicsCreated = new AtomicLong();
    final AtomicLong schemasCreated = new AtomicLong();
    private final List<AutoCloseable> closers = new ArrayList<>();

    private SharedServers() {
        bootstrap = required("cleanroom.kafka.bootstrap-servers");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        closers.add(admin);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
        closers.add(producer);
        pool = pool(null, POOL_SIZE);
    }

    static synchronized SharedServers get() {
        if (instance == null) {
            instance = new SharedServers();
        }
        return instance;
    }

    /** Closes what {@link #get()} opened, if anything. */
    static synchronized void closeIfOpen() {
        if (instance != null) {
            List<AutoCloseable> closers = new ArrayList<>(instance.closers);
            java.util.Collections.reverse(closers);
            for (AutoCloseable c : closers) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("closing " + c + ": " + e);
                }
            }
            instance = null;
        }
    }

    /** A pool whose connections select {@code schema} (or the default one); closed with the servers. */
    HikariDataSource pool(String schema, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(required("cleanroom.postgres.url"));
        config.setUsername(System.getProperty("cleanroom.postgres.user", "postgres"));
        config.setPassword(System.getProperty("cleanroom.postgres.password", ""));
        config.setMaximumPoolSize(size);
        config.setSchema(schema);
        HikariDataSource ds = new HikariDataSource(config);
        synchronized (this) {
            closers.add(ds);
        }
        return ds;
    }

    /** Migrates {@code schema} (created if missing) with Flyway, as a team's test support would. */
    void migrate(String schema) {
        Flyway.configure().dataSource(pool).schemas(schema).createSchemas(true).locations(MIGRATIONS)
                .load().migrate();
        schemasCreated.incrementAndGet();
    }

    void createTopics(Collection<String> names) throws Exception {
        await(admin.createTopics(names.stream().map(n -> new NewTopic(n, 1, (short) 1)).toList()).all());
        topicsCreated.addAndGet(names.size());
        endOffsets(names); // a team learns to wait until the broker hosts them before the first send
    }

    /**
     * {@code future.get(30 s)}, parked: Kafka's futures are {@code CompletableFuture}s inside,
     * and their {@code get} on a JUnit ForkJoinPool worker makes JUnit start another test. The
     * hand-written ways wait this way so that every way runs at the configured parallelism.
     */
    static <T> T await(KafkaFuture<T> future) throws Exception {
        if (!Park.until(done -> future.whenComplete((v, e) -> done.run()), Duration.ofSeconds(30))) {
            throw new TimeoutException("no answer from the broker within 30 s");
        }
        return future.get(); // done: returns at once
    }

    /**
     * The end offsets of single-partition topics, asked until the broker leads them (within
     * 30 s). Right after creation it may not yet: a send then meets NOT_LEADER_OR_FOLLOWER,
     * after which the shared idempotent producer was seen retrying OUT_OF_ORDER_SEQUENCE_NUMBER
     * on that partition until its 120 s delivery timeout.
     */
    Map<TopicPartition, ListOffsetsResultInfo> endOffsets(Collection<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = topics.stream()
                .collect(Collectors.toMap(t -> new TopicPartition(t, 0), t -> OffsetSpec.latest()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return await(admin.listOffsets(partitions).all());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    KafkaConsumer<String, String> consumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static String required(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The hand-written ways need -D" + key
                    + " (SuiteBenchmark passes the addresses of its singleton containers)");
        }
        return value;
    }
}
