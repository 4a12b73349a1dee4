/**
 * The hook to workflow example as a Spring Boot application
 * ({@link dev.cleanroom.examples.spring.HookWorkflowApplication}): a REST controller takes
 * webhooks, {@link dev.cleanroom.examples.spring.HookReceiver} stores each once and publishes
 * it to Kafka in one transaction, and {@link dev.cleanroom.examples.spring.WorkflowCoordinator},
 * a {@code @KafkaListener}, runs the workflow its router picks and records every transition.
 * Not published: it stands for the user's own application, tested with fixtures-spring.
 */
package dev.cleanroom.examples.spring;
