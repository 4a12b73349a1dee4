package dev.cleanroom.kafka;

import dev.cleanroom.testkit.EngineKit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.testcontainers.DockerClientFactory;

/**
 * A broker that is not ready within cleanroom.server.start-timeout: the first class that
 * needs it fails once with a message naming the setting, a later class fails at once with
 * the same message, nothing else fails, and no container is left. Runs in a JVM of its own
 * (tag own-jvm): the JVM's broker must not be running already.
 */
@Tag("own-jvm")
class StartTimeoutTest {

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

    static boolean docker() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @Test
    @EnabledIf("docker")
    void aBrokerNotReadyInTimeFailsEachClassOnceLaterOnesAtOnceAndLeavesNoContainer() throws InterruptedException {
        long start = System.nanoTime();
        EngineExecutionResults results = EngineKit.run(Map.of("cleanroom.kafka.engine", "testcontainers",
                "cleanroom.server.start-timeout", "2s"), FirstClass.class, LaterClass.class);
        long runMillis = (System.nanoTime() - start) / 1_000_000;

        String timedOut = "The shared kafka server (engine testcontainers) did not start within 2 s"
                + " (cleanroom.server.start-timeout)";
        results.containerEvents().assertThatEvents()
                .haveExactly(1, event(container(FirstClass.class), finishedWithFailure(message(m -> m.startsWith(timedOut)))))
                .haveExactly(1, event(container(LaterClass.class), finishedWithFailure(message(m -> m.startsWith(timedOut)))));
        assertThat(results.allEvents().failed().count()).as("the two classes, nothing at the run's end").isEqualTo(2);
        assertThat(results.testEvents().started().count()).isZero();
        // the later class did not wait a second start timeout
        assertThat(runMillis).isLessThan(4_000);
        assertThat(containersLeft()).as("containers of this JVM left").isEmpty();
    }

    /** This JVM's Testcontainers containers, once the interrupted start has cleaned up (bounded). */
    static List<String> containersLeft() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<String> left;
        do {
            left = DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL,
                            DockerClientFactory.SESSION_ID)).exec().stream()
                    .map(c -> c.getId().substring(0, 12) + " " + c.getImage() + " " + c.getStatus()).toList();
            if (!left.isEmpty()) {
                Thread.sleep(200);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        return left;
    }
}
