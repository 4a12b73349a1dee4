package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.internal.Faults;
import dev.cleanroom.kafka.internal.KafkaServer;
import dev.cleanroom.kafka.internal.KafkaServerProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;

/**
 * A server whose construction fails at a step releases everything the steps before it
 * made: threads, the admin client, the lease consumer, the broker's container or child JVM
 * and its directory. Each step gets one injected failure. Tag own-jvm: it watches the JVM's
 * threads, containers and child processes, which no other class may change meanwhile.
 */
@Tag("own-jvm")
class FailedConstructionTest {

    @AfterEach
    void disarm() {
        Faults.disarm();
    }

    static boolean docker() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    private static Configuration configuration(Map<String, String> extra) {
        Map<String, String> system = new TreeMap<>();
        System.getProperties().forEach((k, v) -> system.put(String.valueOf(k), String.valueOf(v)));
        system.putAll(extra);
        return Configuration.of(system, System.getenv(), Map.of());
    }

    @Test
    void aFailureAtEachStepOfTheServerReleasesWhatTheStepsBeforeMade() throws Exception {
        // the embedded broker starts faster than a container on a busy machine; any engine would do
        try (KafkaServer base = new KafkaServerProvider().start(Engine.EMBEDDED, configuration(Map.of()))) {
            // the external engine on the broker above: the lease exists there too (a shared broker)
            Configuration external = configuration(Map.of("cleanroom.kafka.bootstrap-servers", base.bootstrapServers()));
            for (String step : List.of("kafka.server.after-admin", "kafka.server.after-deleter",
                    "kafka.server.after-creator", "kafka.server.after-lease")) {
                Set<Thread> before = Thread.getAllStackTraces().keySet();
                Faults.arm(step);
                assertThatThrownBy(() -> new KafkaServerProvider().start(Engine.EXTERNAL, external))
                        .as(step).isInstanceOf(Faults.InjectedFault.class).hasMessage("injected fault at " + step);
                assertNoNewThreads(step, before);
            }
            // a run that ends normally on a shared broker leaves no name of its own, its lease group included
            new KafkaServerProvider().start(Engine.EXTERNAL, external).close();
            assertThat(Broker.groups(base.bootstrapServers())).as("groups of run " + RunId.current())
                    .noneMatch(g -> g.startsWith("cr" + RunId.current()));
        }
    }

    @Test
    @EnabledIf("docker")
    void aFailureAfterTheContainerStartedRemovesTheContainer() throws Exception {
        Set<String> before = sessionContainers();
        Faults.arm("kafka.server.after-admin");
        assertThatThrownBy(() -> new KafkaServerProvider().start(Engine.TESTCONTAINERS, configuration(Map.of())))
                .isInstanceOf(Faults.InjectedFault.class);
        assertThat(sessionContainers()).as("containers of this JVM").isSubsetOf(before);
    }

    @Test
    void aFailureOfTheEmbeddedBrokerAtEachStepLeavesNoProcessAndNoDirectory() throws Exception {
        for (String step : List.of("kafka.embedded.before-process", "kafka.embedded.before-ready",
                "kafka.server.after-admin")) {
            Set<Long> children = children();
            List<Path> dirs = brokerDirs();
            Faults.arm(step);
            assertThatThrownBy(() -> new KafkaServerProvider().start(Engine.EMBEDDED, configuration(Map.of())))
                    .as(step).isInstanceOf(Faults.InjectedFault.class);
            assertThat(children()).as(step + ": child processes").isSubsetOf(children);
            assertThat(brokerDirs()).as(step + ": broker directories").isSubsetOf(dirs);
        }
    }

    /** Threads (ours or Kafka's) made since {@code before} must end within a few seconds. */
    private static void assertNoNewThreads(String step, Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive())
                    .map(Thread::getName)
                    .filter(n -> n.startsWith("cleanroom-") || n.startsWith("kafka-"))
                    .sorted().collect(Collectors.toList());
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(left).as(step + ": threads left").isEmpty();
    }

    private static Set<String> sessionContainers() {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL, DockerClientFactory.SESSION_ID))
                .exec().stream().map(c -> c.getId()).collect(Collectors.toSet());
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private static List<Path> brokerDirs() throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("cleanroom-kafka-" + RunId.current())).toList();
        }
    }

}
