package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.internal.Faults;
import dev.cleanroom.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The embedded engine: a single-node KRaft broker (broker and controller in one process)
 * from {@code org.apache.kafka:kafka_2.13}, run in a CHILD JVM with this JVM's class path.
 *
 * <p>Why a child JVM rather than in-process: Kafka's server calls {@code Exit.halt} on
 * fatal errors (which would kill the test JVM), starts dozens of threads that a test's
 * leak check would have to tell apart from the test's own, brings Scala and log4j onto
 * the test's logging, and holds hundreds of MB of heap. A child costs about a second
 * more to start and is stopped with certainty; it dies with its parent (it watches its
 * stdin). Tuned for tests: quorum append linger 1 ms, no initial rebalance delay, one
 * offsets partition. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class EmbeddedBroker implements Broker {

    /** The artifact users add for this engine. */
    public static final String ARTIFACT = "org.apache.kafka:kafka_2.13";
    static final String MAIN = "dev.cleanroom.kafka.internal.EmbeddedKafkaMain";

    private final Path dir;
    private final Process process;
    private final Path log;
    private final String bootstrapServers;

    EmbeddedBroker(Configuration configuration) throws IOException, InterruptedException {
        requireBrokerJars(EmbeddedBroker.class.getClassLoader());
        int port = freePort();
        int controllerPort = freePort();
        this.bootstrapServers = "localhost:" + port;
        this.dir = Files.createTempDirectory("cleanroom-kafka-" + RunId.current() + "-");
        this.log = dir.resolve("broker.log");
        Process started = null;
        try {
            started = launch(port, controllerPort);
        } catch (IOException | RuntimeException | Error e) {
            try { // nothing of a failed start stays: the directory and its log
                deleteTree(dir);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        this.process = started;
        try {
            Faults.check("kafka.embedded.before-ready");
            awaitPort(configuration.get(CoreSettings.SERVER_START_TIMEOUT).toMillis());
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Writes the broker's configuration and starts the child JVM. */
    private Process launch(int port, int controllerPort) throws IOException {
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "controller.quorum.append.linger.ms=1",
                "num.network.threads=2",
                "num.io.threads=2",
                "log.flush.interval.messages=9223372036854775807",
                ""), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), MAIN, config.toString(),
                org.apache.kafka.common.Uuid.randomUuid().toString()));
        Faults.check("kafka.embedded.before-process");
        // the child's stdin stays open while we live; its EOF tells the child to halt
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Fails with a message naming the dependency when the broker's classes are missing.
     * Public for the test that proves the message.
     */
    public static void requireBrokerJars(ClassLoader loader) {
        for (String type : List.of("kafka.Kafka", "kafka.tools.StorageTool", "scala.Predef")) {
            try {
                Class.forName(type, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // the broker must match the clients on the class path
                String version = clientsVersion();
                throw new ConfigurationException(KafkaSettings.ENGINE.key() + "=embedded needs the Kafka broker on the"
                        + " test class path, but " + type + " is missing. Add the dependency " + ARTIFACT + ":" + version
                        + " (scope test, the version of your kafka-clients), e.g. <dependency><groupId>org.apache.kafka"
                        + "</groupId><artifactId>kafka_2.13</artifactId><version>" + version + "</version><scope>test</scope>"
                        + "</dependency>, or choose " + KafkaSettings.ENGINE.key() + "=testcontainers.", e);
            }
        }
    }

    /** The version of kafka-clients on the class path (from the jar's own kafka-version.properties). */
    static String clientsVersion() {
        java.util.Properties version = new java.util.Properties();
        try (java.io.InputStream in = org.apache.kafka.common.Uuid.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            if (in != null) {
                version.load(in);
            }
        } catch (IOException e) {
            // fall through to the placeholder
        }
        return version.getProperty("version", "<your kafka-clients version>");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public String describe() {
        return "embedded (child JVM, pid " + process.pid() + ")";
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public java.util.Optional<String> whyGone() {
        return process.isAlive() ? java.util.Optional.empty() : java.util.Optional.of("its child JVM (pid " + process.pid()
                + ") exited with code " + process.exitValue() + "; its log: " + log);
    }

    @Override
    public String diagnostics() {
        String tail = "";
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            tail = "(cannot read " + log + ": " + e + ")";
        }
        return " Broker " + (process.isAlive() ? "running" : "exited with " + process.exitValue()) + "; last lines of "
                + log + ":\n" + tail;
    }

    /** Waits until the broker's port accepts connections, or fails with the log's tail. */
    void awaitPort(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                break;
            }
            try (Socket ignored = new Socket("localhost", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        String message = "The embedded Kafka broker did not open " + bootstrapServers + " within " + timeoutMillis + " ms."
                + diagnostics();
        if (!process.isAlive()) { // it died: not a wait that ran out
            throw new IllegalStateException(message);
        }
        throw new WaitTimeoutException(message, "the embedded Kafka broker to open " + bootstrapServers,
                Duration.ofMillis(timeoutMillis), "the port still closed", null);
    }

    /** Kills the child (its data is throw-away) and removes its directory. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the embedded broker's directory " + dir, e);
        }
    }
}
