package dev.cleanroom.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.examples.hooks.HookEvent;
import dev.cleanroom.examples.hooks.HookReceiverConfig;
import dev.cleanroom.examples.workflow.HookProcessed;
import dev.cleanroom.examples.workflow.LedgerDownstream;
import dev.cleanroom.examples.workflow.WorkflowCoordinatorConfig;
import dev.cleanroom.examples.workflow.WorkflowDefinition;
import dev.cleanroom.examples.workflow.WorkflowOutcome;
import dev.cleanroom.examples.workflow.WorkflowRouter;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.TopicRecords;
import dev.cleanroom.postgres.PostgresHandle;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How the example services are wired to one test's fixtures: the factories use it, and so
 * does a test that builds its own instance (for example with a fake downstream).
 */
public final class ExampleWiring {

    /** Logical topic of hook events (HookReceiver publishes, WorkflowCoordinator consumes). */
    public static final String HOOKS = "hooks";
    /** Logical topic of workflow outcomes. */
    public static final String COMPLETIONS = "workflow-completions";
    /** Logical consumer group of the coordinator. */
    public static final String COORDINATOR_GROUP = "workflow-coordinator";
    /** Barrier signalled after the coordinator handled a hook event (payload: {@link HookProcessed}). */
    public static final String HOOK_PROCESSED = "hook processed";
    /** Barrier signalled after a workflow ended and its outcome was published (payload: {@link WorkflowOutcome}). */
    public static final String WORKFLOW_FINISHED = "workflow finished";

    /** What an {@code order.created} hook starts. */
    public static final WorkflowDefinition FULFIL_ORDER = WorkflowDefinition.of("fulfil-order", "reserve", "charge", "ship");
    public static final WorkflowRouter ROUTES = WorkflowRouter.byEventType(Map.of("order.created", FULFIL_ORDER));

    /** Opens after 2 failures of the last 4 calls and stays open for a minute (no test waits that long). */
    public static final CircuitBreakerConfig BREAKER = CircuitBreakerConfig.custom()
            .slidingWindowSize(4)
            .minimumNumberOfCalls(2)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMinutes(1))
            .build();

    private ExampleWiring() {}

    /** The test's Kafka client properties, as the services take them. */
    public static Properties kafkaProperties(KafkaHandle kafka) {
        Properties properties = new Properties();
        properties.putAll(kafka.clientProperties());
        return properties;
    }

    /** The test's physical topic {@code logical}, created (1 partition) when the test did not declare it. */
    public static String topic(KafkaHandle kafka, String logical) {
        try {
            return kafka.topic(logical);
        } catch (IllegalArgumentException notDeclared) {
            return kafka.createTopic(logical, 1);
        }
    }

    private static final String MARKER_PREFIX = "cleanroom-marker-";

    /**
     * The keys of every record on the test's topic {@code logical}: sends a marker record and
     * reads up to it, so records that should not be there would be seen too. Markers are left out.
     */
    public static List<String> keysOn(KafkaHandle kafka, String logical) {
        String marker = MARKER_PREFIX + UUID.randomUUID();
        // a well-formed hook event that no route maps to a workflow, so a coordinator reading the topic ignores it
        kafka.send(logical, marker, new HookEvent("cleanroom", marker, "test.marker",
                JsonNodeFactory.instance.objectNode(), Instant.now()).toJson());
        TopicRecords<String, String> records = kafka.records(logical);
        records.await(record -> marker.equals(record.key()), Duration.ofSeconds(30));
        return records.received().stream().map(ConsumerRecord::key).takeWhile(key -> !marker.equals(key))
                .filter(key -> !key.startsWith(MARKER_PREFIX)) // markers of earlier calls
                .toList();
    }

    public static HookReceiverConfig hookReceiver(KafkaHandle kafka, PostgresHandle postgres, TaskTracker tasks) {
        return HookReceiverConfig.of(postgres.dataSource(), kafkaProperties(kafka), topic(kafka, HOOKS))
                .withThreadFactory(tasks.threadFactory("hook-receiver-http"));
    }

    /**
     * A coordinator on the test's topics, group and schema, its threads made by the test's
     * tracker, its listeners signalling {@link #HOOK_PROCESSED} and {@link #WORKFLOW_FINISHED},
     * the {@link LedgerDownstream} behind a breaker configured as {@link #BREAKER}, and
     * {@link #ROUTES}.
     */
    public static WorkflowCoordinatorConfig workflowCoordinator(KafkaHandle kafka, PostgresHandle postgres,
                                                               TaskTracker tasks, EventCoordinator events) {
        Consumer<HookProcessed> hookProcessed = events.signalAfter(HOOK_PROCESSED, (HookProcessed processed) -> {});
        Consumer<WorkflowOutcome> workflowFinished = events.signalAfter(WORKFLOW_FINISHED, (WorkflowOutcome outcome) -> {});
        return WorkflowCoordinatorConfig.of(postgres.dataSource(), kafkaProperties(kafka),
                        new LedgerDownstream(postgres.dataSource()))
                .withTopics(topic(kafka, HOOKS), topic(kafka, COMPLETIONS))
                .withGroupId(kafka.groupId(COORDINATOR_GROUP))
                .withCircuitBreaker(io.github.resilience4j.circuitbreaker.CircuitBreaker.of("downstream", BREAKER))
                .withRouter(ROUTES)
                .withThreadFactory(tasks.threadFactory("workflow-coordinator"))
                .withWorkers(2)
                .withOnHookProcessed(hookProcessed)
                .withOnWorkflowFinished(workflowFinished);
    }
}
