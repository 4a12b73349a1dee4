package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.internal.DockerProbe;
import dev.cleanroom.kafka.internal.EmbeddedBroker;
import dev.cleanroom.kafka.internal.KafkaServerProvider;
import dev.cleanroom.testkit.EngineKit;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.testcontainers.DockerClientFactory;

/** Bad configuration fails with a message that names the key, the value and the fix; nothing is left behind. */
class KafkaConfigurationTest {

    @NestedStatistics.Fixture
    @IsolatedKafka
    static class AnyKafkaFixture {
        @Test
        void needsKafka(KafkaHandle kafka) {
            assertThat(kafka.bootstrapServers()).isNotBlank();
        }
    }

    @Test
    void badEngineValueListsTheAllowedValues() {
        EngineExecutionResults results = EngineKit.run(AnyKafkaFixture.class, Map.of("cleanroom.kafka.engine", "kafkaa"));

        results.allEvents().assertThatEvents().haveAtLeast(1, event(finishedWithFailure(
                instanceOf(ConfigurationException.class),
                message(m -> m.contains("Bad value for cleanroom.kafka.engine: 'kafkaa'")
                        && m.contains("auto, testcontainers, embedded, external")))));
    }

    @Test
    void misspeltKeyIsReportedWithTheClosestKnownKey() {
        assertThatThrownBy(() -> Configuration.of(Map.of("cleanroom.kafka.bootstrap-server", "localhost:9092"), Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Unknown setting cleanroom.kafka.bootstrap-server")
                .hasMessageContaining("Did you mean cleanroom.kafka.bootstrap-servers?");
    }

    @Test
    void everyKafkaKeyIsKnown() {
        Configuration configuration = Configuration.of(Map.of("cleanroom.kafka.prefetch", "2",
                "cleanroom.kafka.client.security.protocol", "PLAINTEXT", "cleanroom.kafka.await-timeout", "3s"), Map.of(), Map.of());

        assertThat(configuration.get(KafkaSettings.PREFETCH)).isEqualTo(2);
        assertThat(configuration.get(KafkaSettings.AWAIT_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
        assertThat(configuration.withPrefix(KafkaSettings.CLIENT)).containsEntry("security.protocol", "PLAINTEXT");
        assertThat(configuration.get(KafkaSettings.IMAGE)).isEqualTo("apache/kafka:4.4.0");
    }

    @Test
    void externalEngineWithoutAddressSaysWhichKeyToSet() {
        Configuration configuration = Configuration.of(Map.of(), Map.of(), Map.of());

        assertThatThrownBy(() -> new KafkaServerProvider().start(Engine.EXTERNAL, configuration))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("cleanroom.kafka.bootstrap-servers is required because cleanroom.kafka.engine=external")
                .hasMessageContaining("CLEANROOM_KAFKA_BOOTSTRAP_SERVERS=<value>");
    }

    @Test
    void embeddedEngineWithoutTheBrokerJarsNamesTheDependency() throws Exception {
        try (URLClassLoader withoutKafka = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> EmbeddedBroker.requireBrokerJars(withoutKafka))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("cleanroom.kafka.engine=embedded needs the Kafka broker")
                    .hasMessageContaining("kafka.Kafka is missing")
                    .hasMessageContaining("org.apache.kafka:kafka_2.13");
        }
    }

    @Test
    void malformedImageNameIsAConfigurationError() {
        Configuration configuration = Configuration.of(Map.of("cleanroom.kafka.image", "Not An Image!"), Map.of(), Map.of());

        assertThatThrownBy(() -> new KafkaServerProvider().start(Engine.TESTCONTAINERS, configuration))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Bad value for cleanroom.kafka.image: 'Not An Image!' (from system property cleanroom.kafka.image)")
                .hasMessageContaining("apache/kafka:4.4.0");
    }

    @Test
    void imageThatCannotBeObtainedNamesTheSettingAndLeavesNoContainer() {
        assumeTrue(DockerProbe.status(Duration.ofSeconds(20)).available(),
                "needs a Docker engine: start one, or point DOCKER_HOST at one (CI: ../shared/offline-docker/prepare.sh)");
        Configuration configuration = Configuration.of(
                Map.of("cleanroom.kafka.image", "fixtures-offline/kafka:0.0.0-missing"), Map.of(), Map.of());

        assertThatThrownBy(() -> new KafkaServerProvider().start(Engine.TESTCONTAINERS, configuration))
                .hasMessageContaining("The Kafka container of image 'fixtures-offline/kafka:0.0.0-missing'")
                .hasMessageContaining("cleanroom.kafka.image from system property cleanroom.kafka.image")
                .hasMessageContaining("set cleanroom.kafka.image to an apache/kafka or apache/kafka-native compatible image");
        assertThat(containersOf("fixtures-offline/kafka:0.0.0-missing")).isZero();
    }

    private static long containersOf(String image) {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true).exec().stream()
                .filter(c -> image.equals(c.getImage())).count();
    }

    /** The external engine against the suite's broker: pass-through client settings, a lease, dead runs' leftovers removed. */
    @Test
    @IsolatedKafka
    void externalEngineUsesTheGivenClusterAndRemovesDeadRunsLeftovers(KafkaHandle kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String deadRun = "000001abcd"; // started in 1970: old, and nobody holds its lease
        String deadTopic = "cr" + deadRun + "_t1_ordertest_sends_orders";
        String liveTopic = "cr" + dev.cleanroom.core.RunId.current() + "_t999999_mine_orders";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(deadTopic, 1, (short) 1), new NewTopic(liveTopic, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            // created is not yet listed: wait until the broker's metadata shows both, as the cleaner will look there
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Broker.topics(bootstrap).containsAll(List.of(deadTopic, liveTopic)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Broker.topics(bootstrap)).contains(deadTopic, liveTopic);
            Configuration configuration = Configuration.of(Map.of("cleanroom.kafka.bootstrap-servers", bootstrap,
                    "cleanroom.kafka.client.client.dns.lookup", "use_all_dns_ips"), Map.of(), Map.of());

            try (var server = new KafkaServerProvider().start(Engine.EXTERNAL, configuration)) {
                assertThat(server.clientProperties()).containsEntry("client.dns.lookup", "use_all_dns_ips")
                        .containsEntry("bootstrap.servers", bootstrap);
                assertThat(Broker.topics(bootstrap)).doesNotContain(deadTopic).contains(liveTopic);
            } finally {
                admin.deleteTopics(List.of(liveTopic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
