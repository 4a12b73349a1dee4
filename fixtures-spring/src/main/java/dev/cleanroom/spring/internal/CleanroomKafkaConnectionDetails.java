package dev.cleanroom.spring.internal;

import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;

/** Spring Boot's view of the shared broker (what {@code @ServiceConnection} would give). */
record CleanroomKafkaConnectionDetails(String bootstrapServers) implements KafkaConnectionDetails {

    @Override
    public List<String> getBootstrapServers() {
        return List.of(bootstrapServers.split(","));
    }
}
