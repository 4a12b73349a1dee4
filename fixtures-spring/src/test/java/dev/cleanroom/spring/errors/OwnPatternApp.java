package dev.cleanroom.spring.errors;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;

/** An application whose listener subscribes by a pattern of its own. */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
public class OwnPatternApp {

    @Bean
    PatternListener patternListener() {
        return new PatternListener();
    }

    /** Listens to every topic whose name starts with "orders". */
    public static class PatternListener {
        @KafkaListener(topicPattern = "orders.*", groupId = "pattern")
        public void on(String value) {}
    }
}
