package dev.cleanroom.examples.spring;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Consumes hook events; for each, once, runs the workflow its router picks, task by task,
 * recording every transition, and publishes the outcome ({@code SUCCEEDED} or {@code FAILED})
 * keyed by the workflow id {@code hook:<source>:<event id>}.
 */
@Component
public class WorkflowCoordinator {

    private final WorkflowRouter router;
    private final WorkflowStore store;
    private final KafkaTemplate<String, String> kafka;
    private final String completionsTopic;

    public WorkflowCoordinator(WorkflowRouter router, WorkflowStore store, KafkaTemplate<String, String> kafka,
                               @Value("${app.topics.workflow-completions}") String completionsTopic) {
        this.router = router;
        this.store = store;
        this.kafka = kafka;
        this.completionsTopic = completionsTopic;
    }

    @KafkaListener(topics = "${app.topics.hooks}")
    public void onHook(ConsumerRecord<String, String> hook) throws Exception {
        List<String> tasks = router.tasksFor(hook.value());
        String workflowId = "hook:" + hook.key();
        if (tasks.isEmpty() || !store.start(workflowId, hook.value())) {
            return; // no route for this type, or already worked on
        }
        String outcome = "SUCCEEDED";
        for (String task : tasks) {
            store.transition(workflowId, task, "RUNNING");
            boolean ok = !task.equals(WorkflowRouter.FAILING_TASK);
            store.transition(workflowId, task, ok ? "SUCCEEDED" : "FAILED");
            if (!ok) {
                outcome = "FAILED";
                break;
            }
        }
        store.transition(workflowId, null, outcome);
        kafka.send(completionsTopic, workflowId, outcome).get(10, TimeUnit.SECONDS);
    }
}
