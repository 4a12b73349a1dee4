package dev.cleanroom.examples.workflow;

import dev.cleanroom.examples.NamedThreads;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Everything a {@link WorkflowCoordinator} is built from. Start from {@link #of} and change
 * what differs with the {@code withX} methods.
 *
 * @param dataSource         where workflows, tasks and transitions are recorded (see {@code db/migration})
 * @param kafka              Kafka client properties (at least {@code bootstrap.servers}); (de)serializers and group id are set by the coordinator
 * @param hookTopic          topic of hook events to consume
 * @param completionTopic    topic to publish each workflow's outcome to
 * @param groupId            consumer group of the hook consumer
 * @param downstream         the dependency that performs tasks
 * @param circuitBreaker     guards every call to {@code downstream}
 * @param router             which workflow a hook event starts
 * @param threadFactory      makes the consumer thread and the worker threads (tests pass their task tracker's)
 * @param workers            number of worker threads running workflows
 * @param pollTimeout        consumer poll timeout
 * @param onHookProcessed    called on the consumer thread after each hook event was handled
 * @param onWorkflowFinished called on a worker thread after each workflow ended and its outcome was published
 */
public record WorkflowCoordinatorConfig(DataSource dataSource, Properties kafka, String hookTopic,
                                        String completionTopic, String groupId, Downstream downstream,
                                        CircuitBreaker circuitBreaker, WorkflowRouter router,
                                        ThreadFactory threadFactory, int workers, Duration pollTimeout,
                                        Consumer<HookProcessed> onHookProcessed,
                                        Consumer<WorkflowOutcome> onWorkflowFinished) {

    public WorkflowCoordinatorConfig {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(kafka, "kafka properties must not be null");
        if (kafka.getProperty("bootstrap.servers", "").isBlank()) {
            throw new IllegalArgumentException("kafka properties need 'bootstrap.servers', got " + kafka.stringPropertyNames());
        }
        requireName("hookTopic", hookTopic);
        requireName("completionTopic", completionTopic);
        requireName("groupId", groupId);
        Objects.requireNonNull(downstream, "downstream must not be null");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker must not be null");
        Objects.requireNonNull(router, "router must not be null (WorkflowRouter.none() starts nothing)");
        Objects.requireNonNull(threadFactory, "threadFactory must not be null");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        if (pollTimeout == null || pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("pollTimeout must be positive, got " + pollTimeout);
        }
        Objects.requireNonNull(onHookProcessed, "onHookProcessed must not be null (use h -> {})");
        Objects.requireNonNull(onWorkflowFinished, "onWorkflowFinished must not be null (use o -> {})");
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, got '" + value + "'");
        }
    }

    /**
     * Topics {@code hooks} and {@code workflow-completions}, group {@code workflow-coordinator},
     * a default circuit breaker named {@code downstream}, no routing, 4 workers, 100 ms polls,
     * no listeners.
     */
    public static WorkflowCoordinatorConfig of(DataSource dataSource, Properties kafka, Downstream downstream) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, "hooks", "workflow-completions",
                "workflow-coordinator", downstream, CircuitBreaker.ofDefaults("downstream"), WorkflowRouter.none(),
                NamedThreads.factory("workflow-coordinator"), 4, Duration.ofMillis(100), h -> {}, o -> {});
    }

    public WorkflowCoordinatorConfig withTopics(String hookTopic, String completionTopic) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }

    public WorkflowCoordinatorConfig withGroupId(String groupId) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }

    public WorkflowCoordinatorConfig withDownstream(Downstream downstream) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }

    public WorkflowCoordinatorConfig withCircuitBreaker(CircuitBreaker circuitBreaker) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }

    public WorkflowCoordinatorConfig withRouter(WorkflowRouter router) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }

    public WorkflowCoordinatorConfig withThreadFactory(ThreadFactory threadFactory) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }

    public WorkflowCoordinatorConfig withWorkers(int workers) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }

    public WorkflowCoordinatorConfig withPollTimeout(Duration pollTimeout) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }

    /** Replaces the hook listener (wrap it, e.g. with an event coordinator's {@code signalAfter}, to keep both). */
    public WorkflowCoordinatorConfig withOnHookProcessed(Consumer<HookProcessed> onHookProcessed) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }

    /** Replaces the completion listener. */
    public WorkflowCoordinatorConfig withOnWorkflowFinished(Consumer<WorkflowOutcome> onWorkflowFinished) {
        return new WorkflowCoordinatorConfig(dataSource, kafka, hookTopic, completionTopic, groupId, downstream,
                circuitBreaker, router, threadFactory, workers, pollTimeout, onHookProcessed, onWorkflowFinished);
    }
}
