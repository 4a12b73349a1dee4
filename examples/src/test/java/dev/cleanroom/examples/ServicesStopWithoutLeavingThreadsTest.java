package dev.cleanroom.examples;

import static dev.cleanroom.examples.ExampleWiring.WORKFLOW_FINISHED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.examples.hooks.HookReceiver;
import dev.cleanroom.examples.support.HookClient;
import dev.cleanroom.examples.workflow.WorkflowCoordinator;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The services keep their promise to stop completely: after both have done real work and
 * been stopped, the plain-code tracker finds no thread of the JVM that was not there before
 * (the HTTP server's dispatcher, the Kafka clients' threads, the workers) and no unfinished
 * tracked work. {@link Isolated @Isolated}, because it looks at every thread of the JVM.
 */
@Isolated
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@IsolatedPostgres(migrations = "db/migration")
class ServicesStopWithoutLeavingThreadsTest {

    @Test
    void stoppedServicesLeaveNoThreadBehind(KafkaHandle kafka, PostgresHandle postgres) throws Exception {
        TaskTracker tasks;
        IsolationScope scope = IsolationScope.open("services");
        try {
            tasks = TaskTracker.in(scope);
            EventCoordinator events = EventCoordinator.in(scope);
            HookReceiver receiver = scope.register("hook receiver",
                    new HookReceiver(ExampleWiring.hookReceiver(kafka, postgres, tasks)).start(), HookReceiver::stop);
            scope.register("workflow coordinator", new WorkflowCoordinator(
                    ExampleWiring.workflowCoordinator(kafka, postgres, tasks, events)).start(), WorkflowCoordinator::stop);

            assertThat(new HookClient(receiver.uri()).post("shop", """
                    {"id": "order-9", "type": "order.created"}""").status()).isEqualTo(202);
            events.await(WORKFLOW_FINISHED, 1, Duration.ofSeconds(30));
        } finally {
            scope.close(); // throws ScopeTeardownException with a LeakException if a thread was left
        }

        assertThat(tasks.leaks()).isEmpty();
        assertThat(tasks.survivors()).isEmpty();
    }
}
