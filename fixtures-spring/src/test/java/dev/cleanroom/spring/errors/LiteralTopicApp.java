package dev.cleanroom.spring.errors;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;

/** An application whose listener names its topic literally. */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
public class LiteralTopicApp {

    @Bean
    LiteralListener literalListener() {
        return new LiteralListener();
    }

    /** Listens to "orders", written literally. */
    public static class LiteralListener {
        @KafkaListener(topics = "orders", groupId = "literal")
        public void on(String value) {}
    }
}
