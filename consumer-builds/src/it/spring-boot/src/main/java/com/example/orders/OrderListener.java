package com.example.orders;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Stores each order it reads and publishes that it did. */
@Component
public class OrderListener {

    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, String> kafka;
    private final String stored;

    public OrderListener(JdbcTemplate jdbc, KafkaTemplate<String, String> kafka,
                         @Value("${app.topics.orders-stored}") String stored) {
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.stored = stored;
    }

    @Transactional
    @KafkaListener(topics = "${app.topics.orders}")
    public void on(ConsumerRecord<String, String> order) throws Exception {
        jdbc.update("insert into orders(id, status) values (?, ?)", order.key(), order.value());
        kafka.send(stored, order.key(), order.value()).get();
    }
}
