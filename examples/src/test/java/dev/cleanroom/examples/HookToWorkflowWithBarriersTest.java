package dev.cleanroom.examples;

import static dev.cleanroom.examples.ExampleWiring.HOOK_PROCESSED;
import static dev.cleanroom.examples.ExampleWiring.WORKFLOW_FINISHED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolatedServices;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.examples.hooks.HookReceiver;
import dev.cleanroom.examples.support.HookClient;
import dev.cleanroom.examples.workflow.HookProcessed;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.examples.workflow.WorkflowDefinition;
import dev.cleanroom.examples.workflow.WorkflowOutcome;
import dev.cleanroom.examples.workflow.WorkflowRouter;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pattern: coordinating two services with barriers instead of sleeps. The coordinator's
 * listeners are wrapped with {@code EventCoordinator.signalAfter} (see {@link ExampleWiring}),
 * so the test waits exactly until the hook was processed and the workflow finished, and a
 * timeout says which barriers were reached and which were not. Where a service offers no
 * callback, {@code EventCoordinator.signalAfter(service, "method")} wraps it so that its
 * method signals.
 */
// tag::barriers[]
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@IsolatedPostgres(migrations = "db/migration")
@IsolatedServices({HookReceiverFactory.class, WorkflowCoordinatorFactory.class})
class HookToWorkflowWithBarriersTest {

    @Test
    void waitsForHookProcessedThenWorkflowFinishedInsteadOfSleeping(HookReceiver receiver,
                                                                    WorkflowCoordinator coordinator,
                                                                    EventCoordinator events,
                                                                    PostgresHandle postgres) throws Exception {
        HookClient client = new HookClient(receiver.uri());
        client.post("shop", """
                {"id": "order-1", "type": "order.created", "payload": {}}""");
        client.post("shop", """
                {"id": "ping-1", "type": "ping", "payload": {}}""");

        List<HookProcessed> processed = events.await(HOOK_PROCESSED, 2, Duration.ofSeconds(30), HookProcessed.class);
        assertThat(processed).extracting(p -> p.event().id() + "->" + p.workflowId().orElse("none"))
                .containsExactlyInAnyOrder("order-1->hook:shop:order-1", "ping-1->none");

        // the workflow was submitted when the hook was processed: its row exists now, no polling needed
        assertThat(postgres.queryForObject("select name from workflows where workflow_id = ?", String.class,
                "hook:shop:order-1")).isEqualTo("fulfil-order");

        WorkflowOutcome finished = events.await(WORKFLOW_FINISHED, 1, Duration.ofSeconds(30), WorkflowOutcome.class).get(0);
        assertThat(finished.hookKey()).contains("shop:order-1");
        assertThat(coordinator.rejectedRecords()).isZero();
    }
    // end::barriers[]

    @Test
    void barrierTimeoutSaysWhatWasSignalledAndWhatWasNot(EventCoordinator events, WorkflowCoordinator coordinator)
            throws Exception {
        coordinator.submitWorkflow("audit", "scan");
        events.await(WORKFLOW_FINISHED, 1, Duration.ofSeconds(30));

        Throwable timeout = org.assertj.core.api.Assertions.catchThrowable(
                () -> events.await(HOOK_PROCESSED, 1, Duration.ofMillis(200)));

        assertThat(timeout)
                .hasMessageContaining("'" + HOOK_PROCESSED + "'")
                .hasMessageContaining("0 arrived")
                .hasMessageContaining(WORKFLOW_FINISHED);
    }

    @Test
    void waitsForTheHookToBeRoutedThroughAServiceThatOffersNoCallback(HookReceiver receiver, KafkaHandle kafka,
                                                                     PostgresHandle postgres, TaskTracker tasks,
                                                                     EventCoordinator events, IsolationScope scope)
            throws Exception {
        // the router has no hook of its own: wrapped, each call of route(event) signals "route" with what it returned
        // tag::signal-after-method[]
        WorkflowRouter router = events.signalAfter(ExampleWiring.ROUTES, "route");
        scope.register("coordinator with the wrapped router", new WorkflowCoordinator(ExampleWiring
                .workflowCoordinator(kafka, postgres, tasks, events).withRouter(router)).start(), WorkflowCoordinator::stop);
        // end::signal-after-method[]

        HookClient client = new HookClient(receiver.uri());
        client.post("shop", """
                {"id": "order-2", "type": "order.created", "payload": {}}""");
        client.post("shop", """
                {"id": "ping-2", "type": "ping", "payload": {}}""");

        // tag::signal-after-method[]
        List<Object> routed = events.await("route", 2, Duration.ofSeconds(30));
        assertThat(routed).containsExactlyInAnyOrder(Optional.of(ExampleWiring.FULFIL_ORDER), Optional.<WorkflowDefinition>empty());
        // end::signal-after-method[]
    }
// tag::barriers[]
}
// end::barriers[]
