package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.testkit.EngineKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Per-test topics and groups on the shared broker: isolation (also in parallel), names,
 * clients closed at teardown, everything gone after the class, timeout messages. The
 * outer class is itself an {@code @IsolatedKafka} test, so the nested runs reuse its broker.
 */
@Tag("every-engine")
@IsolatedKafka(topics = @Topic(name = "orders", partitions = 3))
class KafkaIsolationTest {

    // README example: keep in sync with the "Kafka (fixtures-kafka)" section.
    @Test
    void sendsAndReceives(KafkaHandle kafka) {
        kafka.send("orders", "order-1", "created");

        List<ConsumerRecord<String, String>> records = kafka.records("orders").await(1);

        assertThat(records).extracting(ConsumerRecord::value).containsExactly("created");
        assertThat(kafka.topic("orders")).startsWith("cr");
    }

    @Test
    void consumerGroupReadsTheTestsTopic(KafkaHandle kafka) {
        kafka.send("orders", "k", "v");
        KafkaConsumer<String, String> consumer = kafka.consumer("workers");
        consumer.subscribe(List.of(kafka.topic("orders")));
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (seen.isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        assertThat(seen).extracting(ConsumerRecord::key).containsExactly("k");
        assertThat(kafka.groupId("workers")).isEqualTo(kafka.groupId("workers")).endsWith("_workers");
    }

    @Test
    void unknownLogicalTopicNamesTheTopicsTheTestHas(KafkaHandle kafka) {
        assertThatThrownBy(() -> kafka.topic("payments"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no topic \"payments\"")
                .hasMessageContaining("it has orders");
    }

    // ---------------------------------------------------------------- parallel isolation

    static final Map<String, String> TOPICS = new ConcurrentHashMap<>();
    static final Map<String, String> GROUPS = new ConcurrentHashMap<>();

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = {@Topic(name = "orders", partitions = 2), @Topic(name = "audit")})
    static class ParallelFixture {

        @RepeatedTest(6)
        void repeated(KafkaHandle kafka) {
            seesOnlyItsOwnRecords(kafka);
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "b", "c"})
        void parameterized(String ignored, KafkaHandle kafka) {
            seesOnlyItsOwnRecords(kafka);
        }

        @Test
        void plain(KafkaHandle kafka) {
            seesOnlyItsOwnRecords(kafka);
        }

        private static void seesOnlyItsOwnRecords(KafkaHandle kafka) {
            String me = UUID.randomUUID().toString();
            assertThat(TOPICS.put(kafka.topic("orders"), me)).as("topic handed out twice").isNull();
            assertThat(TOPICS.put(kafka.topic("audit"), me)).as("topic handed out twice").isNull();
            assertThat(GROUPS.put(kafka.groupId("workers"), me)).as("group handed out twice").isNull();
            for (int i = 0; i < 5; i++) {
                kafka.send("orders", me, "v" + i);
            }
            KafkaConsumer<String, String> consumer = kafka.consumer("workers");
            consumer.subscribe(List.of(kafka.topic("orders")));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < 5 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            consumer.commitSync();
            assertThat(seen).hasSize(5).allSatisfy(r -> assertThat(r.key()).isEqualTo(me));
            assertThat(kafka.records("orders").await(5)).allSatisfy(r -> assertThat(r.key()).isEqualTo(me));
            assertThat(kafka.records("audit").received()).isEmpty();
        }
    }

    @Test
    void parallelTestsSeeOnlyTheirOwnRecordsAndEverythingIsGoneAfterTheClass(KafkaHandle kafka) throws Exception {
        TOPICS.clear();
        GROUPS.clear();

        EngineExecutionResults results = EngineKit.run(ParallelFixture.class, EngineKit.parallel(6));

        results.testEvents().assertStatistics(stats -> stats.started(10).succeeded(10));
        assertThat(EngineKit.maxTestsInFlight(results)).as("tests in flight at parallelism 6").isLessThanOrEqualTo(6);
        assertThat(TOPICS).hasSize(20);
        assertThat(GROUPS).hasSize(10);
        // "orders" has 2 partitions, "audit" 1: two shapes, two run-wide pools
        assertThat(TOPICS.keySet()).allSatisfy(name -> assertThat(name).matches("cr[a-z0-9]{10}_p[a-z0-9]+_[12]p"));
        assertThat(GROUPS.keySet()).allSatisfy(name -> assertThat(name).matches("cr[a-z0-9]{10}_t[a-z0-9]+_parallelfixture_.*_workers"));
        // the run's end confirmed every deletion: nothing of it is left on the broker
        assertThat(Broker.topics(kafka.bootstrapServers())).doesNotContainAnyElementsOf(TOPICS.keySet());
        assertThat(Broker.groups(kafka.bootstrapServers())).doesNotContainAnyElementsOf(GROUPS.keySet());
        NestedStatistics.assertNothingLeft();
        assertThat(NestedStatistics.lastRun("topics").used()).isEqualTo(20);
        assertThat(NestedStatistics.lastRun().isolationSamples()).isEqualTo(10);
    }

    // ---------------------------------------------------------------- one pool per shape for the run

    static final Map<String, String> POOLED = new ConcurrentHashMap<>();

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "orders", partitions = 2))
    static class FirstClassFixture {
        @RepeatedTest(4)
        void test(KafkaHandle kafka) {
            assertThat(POOLED.put(kafka.topic("orders"), "first")).as("topic handed out twice").isNull();
        }
    }

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "payments", partitions = 2))
    static class SecondClassFixture {
        @RepeatedTest(4)
        void test(KafkaHandle kafka) {
            assertThat(POOLED.put(kafka.topic("payments"), "second")).as("topic handed out twice").isNull();
        }

        @Test
        void failsOnPurpose(KafkaHandle kafka) {
            throw new AssertionError("on purpose, with topic " + kafka.topic("payments"));
        }
    }

    @Test
    void classesShareTheRunsPoolOfAShapeAndFailedTestsNameTheirTopics() {
        POOLED.clear();

        EngineExecutionResults results = EngineKit.run(Map.of("cleanroom.kafka.prefetch", "1"),
                FirstClassFixture.class, SecondClassFixture.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(8).failed(1));
        var topics = NestedStatistics.lastRun("topics");
        assertThat(topics.used()).isEqualTo(9);
        // one pool for both classes: what they announced (9), the reserve (1), one more per test that waited
        assertThat(topics.created()).isLessThanOrEqualTo(topics.used() + 1 + topics.waits());
        assertThat(POOLED.keySet()).allSatisfy(name -> assertThat(name).matches("cr[a-z0-9]{10}_p[a-z0-9]+_2p"));
        NestedStatistics.assertNothingLeft();
        assertThat(NestedStatistics.lastRun().failedTests()).hasSize(1).allSatisfy((test, had) -> {
            assertThat(test).contains("SecondClassFixture").contains("failsOnPurpose");
            assertThat(had).singleElement().asString().matches("topics payments=cr[a-z0-9]{10}_p[a-z0-9]+_2p");
        });
    }

    // ---------------------------------------------------------------- clients closed, created topics

    static final List<Object> CLIENTS = new ArrayList<>();
    static final List<String> CREATED = new ArrayList<>();

    @NestedStatistics.Fixture
    @IsolatedKafka
    static class ClientsFixture {
        @Test
        void makesClientsAndATopic(KafkaHandle kafka) {
            String topic = kafka.createTopic("events", 2, Map.of("retention.ms", "60000"));
            CREATED.add(topic);
            CLIENTS.add(kafka.producer());
            CLIENTS.add(kafka.consumer("readers"));
            CLIENTS.add(kafka.admin());
            kafka.send("events", "k", "v");
            assertThat(kafka.records("events").await(1)).hasSize(1);
            assertThat(topic).matches("cr[a-z0-9]{10}_t[a-z0-9]+_clientsfixture_makesclientsandatopic_events");
        }
    }

    @Test
    void clientsAreClosedAndCreatedTopicsDeletedAtTeardown(KafkaHandle kafka) throws Exception {
        CLIENTS.clear();
        CREATED.clear();

        EngineKit.run(ClientsFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(1));

        @SuppressWarnings("unchecked")
        KafkaProducer<String, String> producer = (KafkaProducer<String, String>) CLIENTS.get(0);
        @SuppressWarnings("unchecked")
        KafkaConsumer<String, String> consumer = (KafkaConsumer<String, String>) CLIENTS.get(1);
        Admin admin = (Admin) CLIENTS.get(2);
        assertThat(producer).as("the run's shared producer").isSameAs(kafka.producer());
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(CREATED.get(0), "k", "v"))) // its test has ended
                .hasMessageContaining("is not a topic of a running test");
        assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(1))).hasMessageContaining("already been closed");
        assertThatThrownBy(() -> admin.listTopics().names().get()).hasMessageContaining("AdminClient is closing");
        assertThat(Broker.topics(kafka.bootstrapServers())).doesNotContainAnyElementsOf(CREATED);
        Set<String> groups = Broker.groups(kafka.bootstrapServers());
        assertThat(groups).noneMatch(g -> g.contains("_clientsfixture_"));
    }

    // ---------------------------------------------------------------- timeout message

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "orders"))
    static class TimeoutFixture {
        @Test
        void awaitsMoreThanArrives(KafkaHandle kafka) {
            kafka.send("orders", "k1", "v1");
            var records = kafka.records("orders");
            records.await(1); // the one record is in before the short wait starts, however loaded the machine
            records.await(2, Duration.ofMillis(500));
        }

        @Test
        void awaitsAMatchThatNeverComes(KafkaHandle kafka) {
            kafka.send("orders", "k1", "v1");
            var records = kafka.records("orders");
            records.await(1);
            records.await(r -> r.value().equals("v2"), Duration.ofMillis(500));
        }

        @Test
        void awaitsADescribedMatchThatNeverComes(KafkaHandle kafka) {
            kafka.send("orders", "k1", "v1");
            var records = kafka.records("orders");
            records.await(1);
            records.await(r -> r.value().equals("v2"), "the value v2", Duration.ofMillis(500));
        }
    }

    @Test
    void awaitTimeoutsSayWhatWasAwaitedAndWhatArrived() {
        EngineExecutionResults results = EngineKit.run(TimeoutFixture.class);

        results.testEvents().assertStatistics(stats -> stats.failed(3));
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(finishedWithFailure(instanceOf(WaitTimeoutException.class), message(m -> m.startsWith(
                        "Expected at least 2 records on topic \"orders\" (cr") && m.contains("within 500 ms, but received 1:")
                        && m.contains("partition 0 offset 0 key=k1 value=v1")))))
                .haveExactly(1, event(test("awaitsAMatchThatNeverComes"), finishedWithFailure(
                        instanceOf(WaitTimeoutException.class), message(m -> m.startsWith("Expected a record matching")
                        && m.contains("but none of the received did: 1:") && m.contains("key=k1 value=v1")
                        && !m.contains("$$Lambda") && m.contains("the given predicate (pass await a description")))))
                .haveExactly(1, event(test("awaitsADescribedMatchThatNeverComes"), finishedWithFailure(
                        instanceOf(WaitTimeoutException.class), message(m -> m.startsWith(
                        "Expected a record matching the value v2 on topic \"orders\" (cr")
                        && m.contains("within 500 ms, but none of the received did: ")))));
    }
}
