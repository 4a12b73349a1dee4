package dev.cleanroom.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.RunId;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.spring.app.OrdersApplication;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A listener is only ever assigned topics of running tests: not a topic of this run that no
 * test holds (a pooled topic created ahead, one of a nested run, one being deleted), which
 * could vanish while assigned and stall the listener's consumer. And a test's body starts
 * only once the listeners reading its topics have them assigned.
 */
@IsolatedPostgres
@IsolatedKafka
@SpringBootTest(classes = OrdersApplication.class)
class ListenerSubscriptionTest {

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void listenerIsAssignedTheTestsTopicsButNoTopicNoTestHolds(KafkaHandle kafka) throws Exception {
        // named like a topic the run created ahead and has handed to no test yet
        String unheld = "cr" + RunId.current() + "_p" + Long.toString(System.nanoTime(), 36) + "_1p";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(unheld, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                // the test's topics appear after the unheld one: whatever subscription sees them sees it too
                kafka.createTopic("orders", 1);
                kafka.createTopic("order-events", 1);
                kafka.send("orders", "o-1", "created");

                assertThat(kafka.records("order-events").await(1)).extracting(ConsumerRecord::value)
                        .containsExactly("stored:created");
                assertThat(assignedTopics()).contains(kafka.topic("orders")).doesNotContain(unheld);
            } finally {
                admin.deleteTopics(List.of(unheld)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @IsolatedKafka(topics = {@Topic(name = "orders"), @Topic(name = "order-events")})
    void listenerHasTheTestsTopicsAssignedBeforeTheBodyStarts(KafkaHandle kafka) {
        // no wait here: Cleanroom waited for the listener before the body
        assertThat(assignedTopics()).as("topics the listener containers have assigned as the body starts")
                .contains(kafka.topic("orders"));
    }

    private Set<String> assignedTopics() {
        return listeners.getListenerContainers().stream()
                .map(MessageListenerContainer::getAssignedPartitions)
                .filter(java.util.Objects::nonNull)
                .flatMap(java.util.Collection::stream)
                .map(TopicPartition::topic)
                .collect(Collectors.toSet());
    }

}
