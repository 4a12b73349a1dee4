package dev.cleanroom.spring.app;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Stores each order it receives and publishes an event for it: database and Kafka work on a listener thread. */
@Component
public class OrderListener {

    private final OrderStore store;
    private final KafkaTemplate<String, String> kafka;
    private final String eventsTopic;

    public OrderListener(OrderStore store, KafkaTemplate<String, String> kafka,
                         @Value("${app.topics.order-events}") String eventsTopic) {
        this.store = store;
        this.kafka = kafka;
        this.eventsTopic = eventsTopic;
    }

    @KafkaListener(topics = "${app.topics.orders}")
    public void onOrder(ConsumerRecord<String, String> order) throws Exception {
        store.place(order.key(), order.value(), false);
        kafka.send(eventsTopic, order.key(), "stored:" + order.value()).get();
    }
}
