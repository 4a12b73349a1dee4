package dev.cleanroom.examples;

import static dev.cleanroom.examples.ExampleWiring.HOOK_PROCESSED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.examples.hooks.HookEvent;
import dev.cleanroom.examples.workflow.HookProcessed;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Pattern: a custom isolation scope in plain code. A restart test needs two lifetimes inside
 * one test: each incarnation of the coordinator lives in a scope of its own
 * ({@code IsolationScope.open(...)}), with its own tracker and barriers, and closing the
 * scope stops it completely (in reverse order of registration) before the next one starts.
 * The topics and schema belong to the test and outlive both.
 *
 * <p>A plain-code tracker compares every thread of the JVM before and after, so this class
 * runs {@link Isolated @Isolated}: alone, with no other test's threads coming and going.
 */
@Isolated
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@IsolatedPostgres(migrations = "db/migration")
class CustomIsolationScopeInPlainCodeTest {

    @Test
    void restartedCoordinatorResumesAfterTheLastCommittedHook(KafkaHandle kafka, PostgresHandle postgres)
            throws Exception {
        List<String> teardown = new CopyOnWriteArrayList<>();

        try (IsolationScope firstRun = IsolationScope.open("complex_test")) {
            startCoordinator(firstRun, kafka, postgres, teardown);
            send(kafka, "order-1");
            assertThat(EventCoordinator.in(firstRun).await(HOOK_PROCESSED, 1, Duration.ofSeconds(30), HookProcessed.class))
                    .extracting(processed -> processed.event().id()).containsExactly("order-1");
        }
        assertThat(teardown).containsExactly("coordinator stopped", "first registered, closed last");

        send(kafka, "order-2"); // arrives while no coordinator runs

        try (IsolationScope secondRun = IsolationScope.open("complex_test")) {
            startCoordinator(secondRun, kafka, postgres, teardown);
            EventCoordinator events = EventCoordinator.in(secondRun);
            assertThat(events.await(HOOK_PROCESSED, 1, Duration.ofSeconds(30), HookProcessed.class))
                    .extracting(processed -> processed.event().id())
                    .containsExactly("order-2"); // not order-1 again: the first run committed it
        }
        assertThat(postgres.queryForList("select workflow_id from workflows order by workflow_id"))
                .extracting(row -> row.get("workflow_id"))
                .containsExactly("hook:shop:order-1", "hook:shop:order-2");
    }

    // tag::plain-scope[]
    private static void startCoordinator(IsolationScope scope, KafkaHandle kafka, PostgresHandle postgres,
                                         List<String> teardown) {
        scope.onClose("first registered, closed last", () -> teardown.add("first registered, closed last"));
        WorkflowCoordinator coordinator = new WorkflowCoordinator(ExampleWiring.workflowCoordinator(
                kafka, postgres, TaskTracker.in(scope), EventCoordinator.in(scope)));
        scope.register("workflow coordinator", coordinator.start(), started -> {
            started.stop();
            teardown.add("coordinator stopped");
        });
    }
    // end::plain-scope[]

    private static void send(KafkaHandle kafka, String id) {
        HookEvent event = new HookEvent("shop", id, "order.created", JsonNodeFactory.instance.objectNode(), Instant.now());
        kafka.send("hooks", event.key(), event.toJson());
    }
}
