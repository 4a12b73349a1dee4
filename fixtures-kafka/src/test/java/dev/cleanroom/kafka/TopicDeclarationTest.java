package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.testkit.EngineKit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Bad topic declarations fail with a clear message and leave nothing on the broker. */
@Tag("every-engine")
@IsolatedKafka
class TopicDeclarationTest {

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "orders", partitions = 0))
    static class ZeroPartitionsFixture {
        @Test
        void test(KafkaHandle kafka) {}
    }

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = {@Topic(name = "orders"), @Topic(name = "orders", partitions = 2)})
    static class DuplicateFixture {
        @Test
        void test(KafkaHandle kafka) {}
    }

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = {@Topic(name = "audit"), @Topic(name = "orders.v1")})
    static class IllegalCharsFixture {
        @Test
        void test(KafkaHandle kafka) {}
    }

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "orders", configs = "cleanup.policy"))
    static class MalformedConfigFixture {
        @Test
        void test(KafkaHandle kafka) {}
    }

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = {@Topic(name = "audit"), @Topic(name = "orders", configs = "no.such.config=1")})
    static class RefusedConfigFixture {
        @Test
        void test(KafkaHandle kafka) {}
    }

    @NestedStatistics.Fixture
    static class MethodLevelFixture {
        @Test
        @IsolatedKafka(topics = @Topic(name = "bad name"))
        void bad(KafkaHandle kafka) {}

        @Test
        @IsolatedKafka(topics = @Topic(name = "orders", partitions = 2))
        void good(KafkaHandle kafka) {
            kafka.send("orders", "k", "v");
            assertThat(kafka.records("orders").await(1)).hasSize(1);
        }
    }

    @Test
    void zeroPartitions(KafkaHandle kafka) throws Exception {
        failsWith(kafka, ZeroPartitionsFixture.class,
                m -> m.contains("Topic \"orders\" on " + ZeroPartitionsFixture.class.getName() + " has partitions = 0")
                        && m.contains("1 to 10000 partitions"));
    }

    @Test
    void duplicateNames(KafkaHandle kafka) throws Exception {
        failsWith(kafka, DuplicateFixture.class,
                m -> m.contains("@Topic(name = \"orders\") is declared twice"));
    }

    @Test
    void illegalCharacters(KafkaHandle kafka) throws Exception {
        failsWith(kafka, IllegalCharsFixture.class,
                m -> m.contains("Illegal topic name \"orders.v1\"") && m.contains("[a-zA-Z0-9_-]"));
    }

    @Test
    void malformedConfig(KafkaHandle kafka) throws Exception {
        failsWith(kafka, MalformedConfigFixture.class,
                m -> m.contains("has config \"cleanup.policy\"; write configs as key=value"));
    }

    @Test
    void configTheBrokerRefuses(KafkaHandle kafka) throws Exception {
        failsWith(kafka, RefusedConfigFixture.class,
                m -> m.contains("Kafka refused to create topic \"orders\"") && m.contains("no.such.config"));
    }

    @Test
    void badMethodDeclarationFailsOnlyThatTest(KafkaHandle kafka) throws Exception {
        EngineExecutionResults results = EngineKit.run(MethodLevelFixture.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                message(m -> m.contains("Illegal topic name \"bad name\"")))));
        NestedStatistics.assertNothingLeft();
    }

    private static void failsWith(KafkaHandle kafka, Class<?> fixture, Predicate<String> expected) throws Exception {
        EngineExecutionResults results = EngineKit.run(fixture);

        results.allEvents().assertThatEvents().haveAtLeast(1, event(finishedWithFailure(message(expected))));
        results.testEvents().assertStatistics(stats -> stats.succeeded(0));
        NestedStatistics.assertNothingLeft();
    }
}
