package dev.cleanroom.examples.workflow;

import dev.cleanroom.examples.hooks.HookEvent;
import java.util.Map;
import java.util.Optional;

/** Decides which workflow, if any, a hook event starts. */
@FunctionalInterface
public interface WorkflowRouter {

    Optional<WorkflowDefinition> route(HookEvent event);

    /** Starts the workflow mapped to the event's {@code type}; other events start nothing. */
    static WorkflowRouter byEventType(Map<String, WorkflowDefinition> workflowsByType) {
        Map<String, WorkflowDefinition> copy = Map.copyOf(workflowsByType);
        return event -> Optional.ofNullable(copy.get(event.type()));
    }

    /** Starts nothing. */
    static WorkflowRouter none() {
        return event -> Optional.empty();
    }
}
