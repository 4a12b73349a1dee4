package dev.cleanroom.kafka;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.Engine;
import dev.cleanroom.core.Setting;
import dev.cleanroom.core.spi.ServerSettings;
import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/** The settings of fixtures-kafka; see {@link dev.cleanroom.core.Configuration} for how to set them. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class KafkaSettings {

    private KafkaSettings() {}

    private static final ServerSettings SERVER = ServerSettings.of("kafka", "apache/kafka:4.4.0",
            "How the shared Kafka broker is obtained: auto (testcontainers when Docker answers, else embedded), "
                    + "testcontainers, embedded (child JVM, needs org.apache.kafka:kafka_2.13) or external.",
            "Docker image of the testcontainers engine (apache/kafka, apache/kafka-native or a compatible one).",
            "Keep the Kafka container for later runs; dead runs' topics and groups are removed on start.");

    /** Which broker the suite shares. */
    public static final Setting<Engine> ENGINE = SERVER.engine();

    /** The image of the testcontainers engine; declared a compatible substitute for apache/kafka. */
    public static final Setting<String> IMAGE = SERVER.image();

    /** Keep the container for the next run (needs testcontainers.reuse.enable=true in ~/.testcontainers.properties). */
    public static final Setting<Boolean> REUSE = SERVER.reuse();

    /** The cluster of the external engine. */
    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("cleanroom.kafka.bootstrap-servers", null,
            "Bootstrap servers of the cluster that engine=external uses, e.g. broker1:9092,broker2:9092.");

    /** Client properties passed to every client, e.g. {@code cleanroom.kafka.client.security.protocol=SASL_SSL}. */
    public static final Setting<String> CLIENT = Setting.prefix("cleanroom.kafka.client.",
            "Client properties (security etc.) passed to every client: cleanroom.kafka.client.<kafka property>.");

    /** Default timeout of the record await helpers and of send. */
    public static final Setting<Duration> AWAIT_TIMEOUT = Setting.duration("cleanroom.kafka.await-timeout",
            Duration.ofSeconds(10), "Default timeout of KafkaHandle.records(..).await(..) and send(..).");

    /**
     * How long the broker may take to answer a probe (a describeCluster request on a client of
     * its own) before the probe counts as missed. While a test waits on Kafka (send, await,
     * its topics) the broker is probed every this long; a broker that misses two probes in a
     * row, or whose container or process is gone, is declared gone: the waiting test fails
     * with a message naming it, and every later test at once.
     */
    public static final Setting<Duration> PROBE_TIMEOUT = Setting.duration("cleanroom.kafka.probe-timeout",
            Duration.ofSeconds(5), "How long the broker may take to answer a describeCluster probe; probed this often "
                    + "while a test waits on Kafka, a broker that misses two probes in a row is declared gone.");

    /**
     * The reserve of the run's topic pools: topics of each shape kept ready beyond what the
     * running test classes announced (it grows while tests wait); also how many invocations a
     * parameterized test is assumed to have. 0: no pools, each test's topics are created on
     * demand and named after the test.
     */
    public static final Setting<Integer> PREFETCH = Setting.number("cleanroom.kafka.prefetch", 8, 0, 256,
            "Topics of each shape kept ready beyond what the running test classes announced, run-wide "
                    + "(0: create each test's topics on demand, named after the test).");

    /** Minimum age of a dead run before its leftovers are removed (reuse and external engines). */
    public static final Setting<Duration> ORPHAN_AGE = Setting.duration("cleanroom.kafka.orphan-age",
            Duration.ofMinutes(10), "A run without a live lease and older than this is dead; its topics and "
                    + "groups are removed when a reused container or external cluster is first used.");

    /** Every setting of this module. */
    public static final List<Setting<?>> ALL = List.of(ENGINE, IMAGE, REUSE, BOOTSTRAP_SERVERS, CLIENT,
            AWAIT_TIMEOUT, PROBE_TIMEOUT, PREFETCH, ORPHAN_AGE);
}
