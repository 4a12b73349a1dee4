package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A bad class-level topic declaration fails the class before any broker is started or
 * connected to: here the configured cluster does not exist, and the only failure is the
 * declaration's. Tag own-jvm: in a JVM whose run already holds a broker, that broker would
 * be reused and the order could not be seen.
 */
@Tag("own-jvm")
class DeclarationBeforeConnectionTest {

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "orders", partitions = 0))
    static class ZeroPartitions {
        @Test
        void test(KafkaHandle kafka) {}
    }

    @Test
    void aBadDeclarationFailsBeforeTheBrokerIsAskedFor() {
        long start = System.nanoTime();
        EngineExecutionResults results = EngineKit.run(ZeroPartitions.class, Map.of(
                "cleanroom.kafka.engine", "external", "cleanroom.kafka.bootstrap-servers", "localhost:1"));
        List<String> failures = results.allEvents().failed().stream().map(e -> e.getRequiredPayload(
                TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse("")).toList();
        assertThat(failures).singleElement().satisfies(m -> assertThat(m)
                .contains("\"orders\"").contains("partitions").doesNotContain("localhost:1"));
        // the broker at localhost:1 would have taken the admin client's 30 s to give up
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }
}
