package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.cleanroom.testkit.Containers;
import dev.cleanroom.testkit.EngineKit;
import dev.cleanroom.testkit.Leftovers;
import dev.cleanroom.testkit.ServerFaults;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * of the broker is left. The same when the broker hangs instead (container paused, process
 * stopped) while a test waits on it: probes find it not answering. Runs in a JVM of its own
 * (tag own-jvm): it kills the JVM's broker.
 */
@Tag("own-jvm")
class BrokerDeathTest {

    private static final String DOCKER = "dev.cleanroom.testkit.Containers#dockerAvailable";

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
            ServerFaults.kill(server);
            kafka.send("events", "k", "v");
        }

        @Test
        @Order(3)
        void sendsLater(KafkaHandle kafka) {
            kafka.send("events", "k", "v");
        }
    }

    static volatile long hungAt;
    static volatile long failedAt;
    static volatile boolean hangWhileAwaiting; // else while sending

    /** The broker hangs (container paused, process stopped) while the second test sends or awaits a record. */
    @NestedStatistics.Fixture
    @IsolatedKafka(topics = @Topic(name = "events"))
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class HangsMidClass {
        @Test
        @Order(1)
        void sendsWhileTheBrokerAnswers(KafkaHandle kafka) {
            kafka.send("events", "k", "v");
            server = kafka.toString();
        }

        @Test
        @Order(2)
        void waitsOnTheHungBroker(KafkaHandle kafka) throws Exception {
            TopicRecords<String, String> records = kafka.records("events");
            try (ServerFaults.Resume resume = ServerFaults.hang(server)) { // resumed once the wait ended
                hungAt = System.nanoTime();
                try {
                    if (hangWhileAwaiting) {
                        records.await(1);
                    } else {
                        kafka.send("events", "k", "v");
                    }
                } finally {
                    failedAt = System.nanoTime();
                }
            }
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

    @Test
    @EnabledIf(DOCKER)
    void aKilledContainerFailsTheTestThatNoticesAndEveryLaterOneAtOnce() {
        String handle = runAndCheck("testcontainers");
        String id = ServerFaults.matched(ServerFaults.CONTAINER, handle);
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
        long pid = Long.parseLong(ServerFaults.matched(ServerFaults.PID, handle));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    /**
     * A paused broker container, while a test sends: probes bounded by cleanroom.kafka.probe-timeout
     * (1 s) find it not answering twice in a row, the send fails with the broker's gone message
     * within a few probe timeouts, not after cleanroom.kafka.await-timeout (60 s), and every later
     * test fails at once. The container is unpaused once the send failed; nothing is left.
     */
    @Test
    @EnabledIf(DOCKER)
    void aPausedContainerFailsTheWaitingTestWithinAFewProbesAndEveryLaterOneAtOnce() throws Exception {
        hangAndCheck("testcontainers", false, "sending key=k to topic \"events\"");
    }

    /** The same with the embedded broker's child JVM stopped (SIGSTOP) while a test awaits a record. */
    @Test
    void aStoppedEmbeddedBrokerFailsTheWaitingTestWithinAFewProbesAndEveryLaterOneAtOnce() throws Exception {
        hangAndCheck("embedded", true, "awaiting at least 1 record on topic \"events\"");
    }

    private static void hangAndCheck(String engine, boolean whileAwaiting, String doing) throws Exception {
        server = null;
        hungAt = 0;
        failedAt = 0;
        hangWhileAwaiting = whileAwaiting;
        // the broker's threads and its clients' (core's teardown pool is the JVM's: its idle threads end on their own)
        Leftovers.Snapshot before = Leftovers.threads("cleanroom-kafka-", "kafka-").snapshot();
        Leftovers.Snapshot containersBefore = Containers.dockerAvailable() ? Leftovers.threads().containers().snapshot() : null;
        EngineExecutionResults results = EngineKit.run(Map.of("cleanroom.kafka.engine", engine,
                "cleanroom.kafka.await-timeout", "60s", "cleanroom.kafka.probe-timeout", "1s"),
                HangsMidClass.class, ALaterClass.class);
        long hungMillis = TimeUnit.NANOSECONDS.toMillis(failedAt - hungAt);
        System.out.println("[BrokerDeathTest] " + engine + " hung: the waiting test failed " + hungMillis
                + " ms after the fault: " + EngineKit.failureMessages(results));

        results.testEvents().assertStatistics(s -> s.started(4).succeeded(1).failed(3));
        List<String> messages = results.testEvents().failed().list().stream().map(BrokerDeathTest::message).toList();
        assertThat(messages).allSatisfy(m -> assertThat(m)
                .startsWith("The shared Kafka server is gone: Kafka " + engine)
                .contains("it is not answering: a describeCluster request did not succeed within"
                        + " cleanroom.kafka.probe-timeout (1000 ms)")
                .contains("(the probe before it failed too)")
                .contains("It stopped answering while " + doing)
                .contains("waitsOnTheHungBroker")
                .contains("Every later test in this JVM that needs Kafka fails at once"));
        assertThat(messages).as("one cause, reported the same way on each test").containsOnly(messages.get(0));
        assertThat(results.containerEvents().failed().count()).as("class or run-end failures").isZero();
        assertThat(hungMillis).as("ms from the hang to the failure (probe timeout 1 s, await timeout 60 s)")
                .isLessThan(20_000);
        // stopped with the run: no container, no broker process, no thread of the run's clients
        assertThat(before.left()).as("left behind").isEmpty();
        if (containersBefore != null) {
            assertThat(containersBefore.left()).as("containers left").isEmpty();
        }
        if (engine.equals("embedded")) {
            long pid = Long.parseLong(ServerFaults.matched(ServerFaults.PID, server));
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        }
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

    private static String message(Event event) {
        return event.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse("");
    }
}
