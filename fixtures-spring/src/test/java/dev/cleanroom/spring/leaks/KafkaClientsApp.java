package dev.cleanroom.spring.leaks;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * An application with Boot's KafkaTemplate and one listener: a context of its own, so that its
 * producer and its listener's consumer thread are made inside the JUnit run under test.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
public class KafkaClientsApp {

    @Bean
    Listener listener() {
        return new Listener();
    }

    /** Reads the application's orders topic. */
    public static class Listener {
        @KafkaListener(topics = "${app.topics.orders}", groupId = "leaks")
        public void on(String value) {}
    }
}
