package dev.cleanroom.kafka;

import dev.cleanroom.testkit.Containers;
import dev.cleanroom.testkit.EngineKit;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A broker that is not ready within cleanroom.server.start-timeout: the first class that
 * needs it fails once with a message naming the setting, a later class fails at once with
 * the same message, nothing else fails, and no container is left. Runs in a JVM of its own
 * (tag own-jvm): the JVM's broker must not be running already.
 */
@Tag("own-jvm")
class StartTimeoutTest {

    private static final String DOCKER = "dev.cleanroom.testkit.Containers#dockerAvailable";

    @EngineKit.Fixture
    @IsolatedKafka(topics = @Topic(name = "events"))
    static class FirstClass {
        @Test
        void sends(KafkaHandle kafka) {
            kafka.send("events", "k", "v");
        }
    }

    @EngineKit.Fixture
    @IsolatedKafka(topics = @Topic(name = "events"))
    static class LaterClass {
        @Test
        void sends(KafkaHandle kafka) {
            kafka.send("events", "k", "v");
        }
    }

    @Test
    @EnabledIf(DOCKER)
    void aBrokerNotReadyInTimeFailsEachClassOnceLaterOnesAtOnceAndLeavesNoContainer() throws InterruptedException {
        long start = System.nanoTime();
        EngineExecutionResults results = EngineKit.run(Map.of("cleanroom.kafka.engine", "testcontainers",
                "cleanroom.server.start-timeout", "2s"), FirstClass.class, LaterClass.class);
        long runMillis = (System.nanoTime() - start) / 1_000_000;

        String timedOut = "The shared kafka server (engine testcontainers) did not start within 2 s"
                + " (cleanroom.server.start-timeout)";
        EngineKit.assertOnlyClassesFailed(results, timedOut, FirstClass.class, LaterClass.class);
        // the later class did not wait a second start timeout
        assertThat(runMillis).isLessThan(4_000);
        assertThat(Containers.leftByThisJvm()).as("containers of this JVM left").isEmpty();
    }

}
