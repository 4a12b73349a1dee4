package dev.cleanroom.benchmarks;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.CoreSettings;
import java.time.Duration;
import dev.cleanroom.kafka.KafkaSettings;
import dev.cleanroom.postgres.PostgresSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The benchmark's servers, started once and shared by every way: a Kafka and a PostgreSQL
 * container of the images Cleanroom is configured with ({@code cleanroom.kafka.image},
 * {@code cleanroom.postgres.image}), with the server settings Cleanroom's own containers
 * use, waiting for them as long as Cleanroom would ({@code cleanroom.server.start-timeout}).
 * Cleanroom reaches them through its external engine.
 */
final class SingletonContainers implements AutoCloseable {

    private final KafkaContainer kafka;
    private final PostgreSQLContainer postgres;
    final long kafkaStartNanos;
    final long postgresStartNanos;

    private SingletonContainers(KafkaContainer kafka, PostgreSQLContainer postgres, long kafkaStartNanos,
                                long postgresStartNanos) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.kafkaStartNanos = kafkaStartNanos;
        this.postgresStartNanos = postgresStartNanos;
    }

    static SingletonContainers start() {
        Configuration config = Configuration.load(SingletonContainers.class.getClassLoader(), key -> Optional.empty());
        Duration startTimeout = config.get(CoreSettings.SERVER_START_TIMEOUT);
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(config.get(KafkaSettings.IMAGE))
                .asCompatibleSubstituteFor("apache/kafka"))
                .withEnv("KAFKA_CONTROLLER_QUORUM_APPEND_LINGER_MS", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1")
                .withStartupTimeout(startTimeout);
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(config.get(PostgresSettings.IMAGE))
                .asCompatibleSubstituteFor("postgres"))
                .withCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
                        "-c", "max_connections=300")
                .withStartupTimeout(startTimeout);
        CompletableFuture<Long> kafkaStarted = CompletableFuture.supplyAsync(() -> timed(kafka::start));
        CompletableFuture<Long> postgresStarted = CompletableFuture.supplyAsync(() -> timed(postgres::start));
        try {
            return new SingletonContainers(kafka, postgres, kafkaStarted.join(), postgresStarted.join());
        } catch (RuntimeException e) {
            kafkaStarted.handle((n, x) -> null).join();
            postgresStarted.handle((n, x) -> null).join();
            kafka.stop();
            postgres.stop();
            throw e;
        }
    }

    /** System properties that point Cleanroom's external engines (and the hand-written ways) at these servers. */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("cleanroom.kafka.engine", "external");
        p.put("cleanroom.kafka.bootstrap-servers", kafka.getBootstrapServers());
        p.put("cleanroom.postgres.engine", "external");
        p.put("cleanroom.postgres.url", postgres.getJdbcUrl());
        p.put("cleanroom.postgres.user", postgres.getUsername());
        p.put("cleanroom.postgres.password", postgres.getPassword());
        return p;
    }

    /** CPU the broker's container has used so far ({@link ContainerCpu}). */
    long kafkaCpuNanos() {
        return ContainerCpu.usedNanos(kafka.getContainerId());
    }

    /** CPU the database server's container has used so far ({@link ContainerCpu}). */
    long postgresCpuNanos() {
        return ContainerCpu.usedNanos(postgres.getContainerId());
    }

    private static long timed(Runnable start) {
        long t = System.nanoTime();
        start.run();
        return System.nanoTime() - t;
    }

    @Override
    public void close() {
        kafka.stop();
        postgres.stop();
    }
}
