package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.core.LeakException;
import dev.cleanroom.testkit.EngineKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Kafka client that a test makes itself and never closes fails that test, with a report
 * that names the kind of client, its id, where the test made it and what closes it; the
 * clients KafkaHandle gives are closed for the test and never reported.
 */
@IsolatedKafka(topics = @Topic(name = "events"))
class ClientLeaksTest {

    static final List<AutoCloseable> LEAKED = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeWhatTheFixturesLeaked() throws Exception {
        for (AutoCloseable client : LEAKED) {
            client.close();
        }
        LEAKED.clear();
    }

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "events"))
    static class Leaky {
        @Test
        void leavesAProducerOpen(KafkaHandle kafka) {
            Map<String, Object> props = kafka.clientProperties();
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "forgotten-producer");
            LEAKED.add(new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()));
        }

        @Test
        void leavesAConsumerOpen(KafkaHandle kafka) {
            kafka.send("events", "k", "v");
            Map<String, Object> props = kafka.clientProperties();
            // not a group of the handle's: Cleanroom would try to delete that while the consumer is still in it
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "leaky-readers-" + java.util.UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer());
            LEAKED.add(consumer);
            consumer.subscribe(List.of(kafka.topic("events")));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) { // joined: heartbeats begin
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(consumer.assignment()).as("joined the group within 30 s").isNotEmpty();
        }

        @Test
        void leavesAnAdminClientOpen(KafkaHandle kafka) throws Exception {
            Admin admin = Admin.create(kafka.clientProperties());
            LEAKED.add(admin);
            admin.listTopics().names().get();
        }

        @Test
        void usesOnlyTheHandlesClients(KafkaHandle kafka) {
            kafka.send("events", "k", "v");
            kafka.producer();
            kafka.consumer("readers").subscribe(List.of(kafka.topic("events")));
            kafka.admin();
            assertThat(kafka.records("events").await(1)).hasSize(1);
        }
    }

    @Test
    void everyUnclosedClientFailsItsTestSayingWhatToClose() {
        EngineKit.run(Leaky.class, Map.of("cleanroom.leaks.linger", "200ms")).testEvents().assertThatEvents()
                .haveExactly(1, event(test("leavesAProducerOpen"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in Leaky.leavesAProducerOpen(KafkaHandle):")
                                && m.contains("THREAD: thread 'kafka-producer-network-thread | forgotten-producer'")
                                && m.contains("was started during the test and is still alive after teardown: a Kafka "
                                + "producer thread, client.id=forgotten-producer: close the producer")
                                && m.contains("KafkaHandle.producer()")
                                && madeAt(m, "org.apache.kafka.clients.producer.KafkaProducer.<init>", "leavesAProducerOpen")))))
                .haveExactly(1, event(test("leavesAConsumerOpen"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in Leaky.leavesAConsumerOpen(KafkaHandle):")
                                && m.contains("thread 'kafka-coordinator-heartbeat-thread | leaky-readers-")
                                && m.contains("a Kafka consumer's heartbeat thread, group.id=leaky-readers-")
                                && m.contains("close the consumer, or get it from KafkaHandle.consumer(group)")
                                // the heartbeat thread is made by the consumer's first poll that joins the group
                                && madeAt(m, "org.apache.kafka.clients.consumer.KafkaConsumer.poll", "leavesAConsumerOpen")))))
                .haveExactly(1, event(test("leavesAnAdminClientOpen"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in Leaky.leavesAnAdminClientOpen(KafkaHandle):")
                                && m.contains("THREAD: thread 'kafka-admin-client-thread | adminclient-")
                                && m.contains("a Kafka admin client thread, client.id=adminclient-")
                                && m.contains("close the Admin, or get it from KafkaHandle.admin()")
                                && madeAt(m, "org.apache.kafka.clients.admin.Admin.create", "leavesAnAdminClientOpen")))))
                .haveExactly(1, event(test("usesOnlyTheHandlesClients"), finishedSuccessfully()));
    }

    /** The report says the thread was made by {@code call} (the client's API) from the fixture's {@code test} method. */
    static boolean madeAt(String report, String call, String test) {
        return !report.contains("created at: unknown") && report.matches("(?s).*created at:\\s+at \\S*"
                + java.util.regex.Pattern.quote(call) + "\\([^)]*\\)\\s+at \\S*ClientLeaksTest\\$Leaky\\." + test
                + "\\(ClientLeaksTest\\.java:\\d+\\).*");
    }
}
