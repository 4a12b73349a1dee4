package dev.cleanroom.examples;

import dev.cleanroom.core.resilience4j.Resilience4jBreakers;
import dev.cleanroom.core.spi.ServiceContext;
import dev.cleanroom.core.spi.ServiceFactory;
import dev.cleanroom.examples.workflow.Downstream;
import dev.cleanroom.examples.workflow.LedgerDownstream;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.postgres.PostgresHandle;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * A fresh {@link WorkflowCoordinator} for each test that declares one: wired by
 * {@link ExampleWiring#workflowCoordinator} to the test's topics, consumer group, schema,
 * task tracker and event coordinator; its circuit breaker registered with the test's
 * {@code CircuitBreakers}; started before the test and stopped after it. A test that holds
 * a {@link Downstream} field (a Mockito {@code @Mock}, say) gets a coordinator that calls it
 * instead of the real {@link LedgerDownstream}.
 */
public final class WorkflowCoordinatorFactory implements ServiceFactory<WorkflowCoordinator> {

    @Override
    public Class<WorkflowCoordinator> serviceType() {
        return WorkflowCoordinator.class;
    }

    // tag::factory[]
    @Override
    public WorkflowCoordinator create(ServiceContext context) {
        KafkaHandle kafka = context.requireFixture(KafkaHandle.class);
        PostgresHandle postgres = context.requireFixture(PostgresHandle.class);
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(ExampleWiring.BREAKER);
        context.circuitBreakers().register(Resilience4jBreakers.of(breakers));
        Downstream downstream = context.fromTest(Downstream.class)
                .orElseGet(() -> new LedgerDownstream(postgres.dataSource()));
        return new WorkflowCoordinator(ExampleWiring
                .workflowCoordinator(kafka, postgres, context.tracker(), context.coordinator())
                .withDownstream(downstream)
                .withCircuitBreaker(breakers.circuitBreaker("downstream")));
    }
    // end::factory[]

    @Override
    public void start(WorkflowCoordinator coordinator) {
        coordinator.start();
    }

    @Override
    public void stop(WorkflowCoordinator coordinator) {
        coordinator.stop();
    }
}
