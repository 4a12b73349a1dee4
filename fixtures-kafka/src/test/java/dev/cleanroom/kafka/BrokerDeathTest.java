package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.testcontainers.DockerClientFactory;

/**
 * The shared broker dies in the middle of a class: the test that notices fails within
 * cleanroom.kafka.await-timeout with one message naming the broker, later tests (and
 * classes) fail at once with the same message, the run ends in bounded time, and nothing
 * of the broker is left. Runs in a JVM of its own (tag own-jvm): it kills the JVM's broker.
 */
@Tag("own-jvm")
class BrokerDeathTest {

    static volatile String server;

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "events"))
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class DiesMidClass {
        @Test
        @Order(1)
        void sendsWhileTheBrokerLives(KafkaHandle kafka) {
            kafka.send("events", "k", "v");
            server = kafka.toString();
        }

        @Test
        @Order(2)
        void sendsAfterTheBrokerWasKilled(KafkaHandle kafka) {
            kill(server);
            kafka.send("events", "k", "v");
        }

        @Test
        @Order(3)
        void sendsLater(KafkaHandle kafka) {
            kafka.send("events", "k", "v");
        }
    }

    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "events"))
    static class ALaterClass {
        @Test
        void sends(KafkaHandle kafka) {
            kafka.send("events", "k", "v");
        }
    }

    private static final Pattern CONTAINER = Pattern.compile("container ([0-9a-f]{12})");
    private static final Pattern PID = Pattern.compile("pid (\\d+)");

    static void kill(String handle) {
        Matcher container = CONTAINER.matcher(handle);
        if (container.find()) {
            DockerClientFactory.instance().client().killContainerCmd(container.group(1)).exec();
            return;
        }
        Matcher pid = PID.matcher(handle);
        assertThat(pid.find()).as("a container id or pid in " + handle).isTrue();
        ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow().destroyForcibly();
    }

    static boolean docker() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @Test
    @EnabledIf("docker")
    void aKilledContainerFailsTheTestThatNoticesAndEveryLaterOneAtOnce() {
        String handle = runAndCheck("testcontainers");
        String id = matched(CONTAINER, handle);
        // the container was stopped and removed with the run; nothing is left
        assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withIdFilter(List.of(id)).exec()).isEmpty();
        try {
            DockerClientFactory.instance().client().inspectContainerCmd(id).exec();
            throw new AssertionError("container " + id + " is still there");
        } catch (NotFoundException expected) {
            // gone
        }
    }

    @Test
    void aKilledEmbeddedBrokerFailsTheTestThatNoticesAndEveryLaterOneAtOnce() {
        String handle = runAndCheck("embedded");
        long pid = Long.parseLong(matched(PID, handle));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    private static String runAndCheck(String engine) {
        server = null;
        long start = System.nanoTime();
        EngineExecutionResults results = EngineKit.run(Map.of("cleanroom.kafka.engine", engine,
                        "cleanroom.kafka.await-timeout", "3s"),
                DiesMidClass.class, ALaterClass.class);
        long runSeconds = (System.nanoTime() - start) / 1_000_000_000L;

        results.testEvents().assertStatistics(s -> s.started(4).succeeded(1).failed(3));
        List<Event> failed = results.testEvents().failed().list();
        List<String> messages = failed.stream().map(BrokerDeathTest::message).toList();
        assertThat(messages).allSatisfy(m -> assertThat(m)
                .startsWith("The shared Kafka server is gone: Kafka " + engine)
                .contains("It stopped answering while sending key=k to topic \"events\"")
                .contains("sendsAfterTheBrokerWasKilled")
                .contains("Every later test in this JVM that needs Kafka fails at once"));
        assertThat(messages.get(0)).contains(engine.equals("embedded") ? "exited with code" : "is not running");
        assertThat(messages).as("one cause, reported the same way on each test").containsOnly(messages.get(0));
        // nothing but the tests failed: no class or run-end failure on top
        assertThat(results.containerEvents().failed().count()).isZero();
        // bounded: one await-timeout for the test that noticed, no waiting afterwards
        assertThat(runSeconds).as("seconds for the whole run, broker start included").isLessThan(90);
        return server;
    }

    private static String matched(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(pattern + " in " + text).isTrue();
        return m.group(1);
    }

    private static String message(Event event) {
        return event.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse("");
    }
}
