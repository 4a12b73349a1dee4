package dev.cleanroom.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A server of its own (the external engine on the suite's broker): its shared producer is
 * made once and closed with the server, and its deleter confirms by name and says what it
 * has not confirmed when a wait runs out.
 */
@IsolatedKafka
class SharedProducerLifecycleTest {

    @Test
    void theServerClosesItsSharedProducerAndConfirmsDeletionsByName(KafkaHandle kafka) throws Exception {
        Configuration configuration = Configuration.of(Map.of("cleanroom.kafka.bootstrap-servers", kafka.bootstrapServers()),
                Map.of(), Map.of());
        String topic = "cr" + RunId.current() + "_t999998_lifecycle_topic";
        SharedProducer producer;
        try (KafkaServer server = new KafkaServerProvider().start(Engine.EXTERNAL, configuration)) {
            producer = server.sharedProducer();
            assertThat(server.sharedProducer()).as("made once").isSameAs(producer);
            producer.close(); // only flushes

            server.createNow(List.of(topic), new TopicSpec.Shape(1, Map.of()), RunStatistics.detached(), "a lifecycle topic");
            server.deleter().await(server.deleter().deleteTopics(List.of(topic), RunStatistics.detached()),
                    Duration.ofSeconds(30), "the deletion of " + topic);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("confirmed gone").doesNotContain(topic);
            }

            assertThatThrownBy(() -> server.deleter().await(new CompletableFuture<>(), Duration.ofMillis(100), "nothing"))
                    .isInstanceOf(WaitTimeoutException.class)
                    .hasMessageStartingWith("Waited for Kafka to confirm nothing within 100 ms, but the deleter had"
                            + " confirmed every name it was given.");
        }
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")))
                .as("closed with its server").hasMessageContaining("after producer has been closed");
    }
}
