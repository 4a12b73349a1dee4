package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.internal.Faults;
import dev.cleanroom.kafka.internal.KafkaServer;
import dev.cleanroom.kafka.internal.KafkaServerProvider;
import dev.cleanroom.testkit.Leftovers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A server whose construction fails at a step releases everything the steps before it
 * made: threads, the admin client, the lease consumer, the broker's container or child JVM
 * and its directory. Each step gets one injected failure. Tag own-jvm: it watches the JVM's
 * threads, containers and child processes, which no other class may change meanwhile.
 */
@Tag("own-jvm")
class FailedConstructionTest {

    private static final String DOCKER = "dev.cleanroom.testkit.Containers#dockerAvailable";

    /** Our threads and Kafka's clients' threads, and child processes (the embedded broker). */
    private static final Leftovers LEFTOVERS = Leftovers.threads("cleanroom-", "kafka-");

    @AfterEach
    void disarm() {
        Faults.disarm();
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
            for (String step : List.of("kafka.server.after-admin", "kafka.server.after-probe", "kafka.server.after-deleter",
                    "kafka.server.after-creator", "kafka.server.after-lease")) {
                Leftovers.Snapshot before = LEFTOVERS.snapshot();
                Faults.arm(step);
                assertThatThrownBy(() -> new KafkaServerProvider().start(Engine.EXTERNAL, external))
                        .as(step).isInstanceOf(Faults.InjectedFault.class).hasMessage("injected fault at " + step);
                assertThat(before.left()).as(step + ": left behind").isEmpty();
            }
            // a run that ends normally on a shared broker leaves no name of its own, its lease group included
            new KafkaServerProvider().start(Engine.EXTERNAL, external).close();
            assertThat(Broker.groups(base.bootstrapServers())).as("groups of run " + RunId.current())
                    .noneMatch(g -> g.startsWith("cr" + RunId.current()));
        }
    }

    @Test
    @EnabledIf(DOCKER)
    void aFailureAfterTheContainerStartedRemovesTheContainer() throws Exception {
        Leftovers.Snapshot before = LEFTOVERS.containers().snapshot();
        Faults.arm("kafka.server.after-admin");
        assertThatThrownBy(() -> new KafkaServerProvider().start(Engine.TESTCONTAINERS, configuration(Map.of())))
                .isInstanceOf(Faults.InjectedFault.class);
        assertThat(before.left()).as("left behind").isEmpty();
    }

    @Test
    void aFailureOfTheEmbeddedBrokerAtEachStepLeavesNoProcessAndNoDirectory() throws Exception {
        for (String step : List.of("kafka.embedded.before-process", "kafka.embedded.before-ready",
                "kafka.server.after-admin")) {
            Leftovers.Snapshot before = LEFTOVERS.tempFiles("cleanroom-kafka-" + RunId.current()).snapshot();
            Faults.arm(step);
            assertThatThrownBy(() -> new KafkaServerProvider().start(Engine.EMBEDDED, configuration(Map.of())))
                    .as(step).isInstanceOf(Faults.InjectedFault.class);
            assertThat(before.left()).as(step + ": left behind").isEmpty();
        }
    }
}
