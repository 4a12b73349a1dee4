package dev.cleanroom.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The hook -> workflow golden path as a Spring Boot application: {@link HookController}
 * takes webhooks over REST, {@link HookReceiver} stores each once and publishes it to Kafka,
 * {@link WorkflowCoordinator} (a {@code @KafkaListener}) runs the workflow its
 * {@link WorkflowRouter} picks, records every transition and publishes the outcome.
 */
@SpringBootApplication
public class HookWorkflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(HookWorkflowApplication.class, args);
    }
}
