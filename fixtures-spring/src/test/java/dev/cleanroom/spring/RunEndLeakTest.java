package dev.cleanroom.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.spring.leaks.KafkaClientsApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The application's own Kafka clients (its producer, its listeners' consumer threads) live as
 * long as its cached context, which Spring closes after the JUnit run: leak checks (per test
 * and at the run's end) do not report them. A producer a test makes and leaves open is still
 * reported.
 */
@Isolated // the leak checks of the inner run diff the JVM's threads: nothing else may start threads meanwhile
class RunEndLeakTest {

    private static final Pattern LEAKED_THREAD = Pattern.compile("THREAD: thread '([^']+)'");

    static volatile KafkaProducer<String, String> userProducer;

    @Test
    void applicationsClientsAreNoLeakButATestsOwnOpenProducerIs() {
        try {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Fixture.class))
                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                    .configurationParameter("cleanroom.leaks", "fail").execute();

            List<String> leakedThreads = new ArrayList<>();
            results.allEvents().failed().stream()
                    .flatMap(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).stream())
                    .forEach(t -> LEAKED_THREAD.matcher(String.valueOf(t.getMessage())).results()
                            .forEach(m -> leakedThreads.add(m.group(1))));
            // not the application's producer nor its listener's threads: only the test's own producer
            assertThat(leakedThreads).containsExactly("kafka-producer-network-thread | user-leak");
            assertThat(results.testEvents().succeeded().count()).as("the test using the application's producer")
                    .isEqualTo(1);
        } finally {
            KafkaProducer<String, String> leaked = userProducer;
            if (leaked != null) {
                leaked.close(Duration.ofSeconds(10));
            }
        }
    }

    @IsolatedKafka(topics = @Topic(name = "orders"))
    @SpringBootTest(classes = KafkaClientsApp.class, properties = "app.topics.orders=orders")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Fixture {

        @Autowired
        KafkaTemplate<String, String> template;

        @Test
        @Order(1)
        void sendsWithTheApplicationsProducer() throws Exception {
            template.send("orders", "o-1", "created").get();
        }

        @Test
        @Order(2)
        void leavesItsOwnProducerOpen(KafkaHandle kafka) throws Exception {
            userProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.CLIENT_ID_CONFIG, "user-leak"), new StringSerializer(), new StringSerializer());
            userProducer.partitionsFor(kafka.topic("orders")); // connected: its network thread runs
        }
    }
}
