package dev.cleanroom.examples.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a workflow ended, as published on the completion topic ({@link #toJson()}, keyed by the
 * workflow id).
 *
 * @param hookKey the {@code source:id} of the hook event that started it, if a hook did
 */
public record WorkflowOutcome(String workflowId, String name, WorkflowState state, List<TaskResult> tasks,
                              Optional<String> hookKey) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public WorkflowOutcome {
        tasks = List.copyOf(tasks);
    }

    /** The tasks' names with their final states, in order, e.g. {@code [reserve=SUCCEEDED, charge=FAILED]}. */
    public List<String> taskStates() {
        return tasks.stream().map(t -> t.task() + "=" + t.state()).toList();
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("workflowId", workflowId);
        node.put("name", name);
        node.put("state", state.name());
        node.put("hook", hookKey.orElse(null));
        ArrayNode array = node.putArray("tasks");
        for (TaskResult task : tasks) {
            array.addObject().put("task", task.task()).put("state", task.state().name()).put("detail", task.detail());
        }
        return node.toString();
    }

    /** Reads what {@link #toJson()} wrote; throws IllegalArgumentException naming what is wrong. */
    public static WorkflowOutcome fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            List<TaskResult> tasks = new ArrayList<>();
            for (JsonNode task : node.path("tasks")) {
                tasks.add(new TaskResult(task.path("task").asText(), TaskState.valueOf(task.path("state").asText()),
                        task.path("detail").isNull() ? null : task.path("detail").asText()));
            }
            JsonNode hook = node.path("hook");
            return new WorkflowOutcome(node.path("workflowId").asText(), node.path("name").asText(),
                    WorkflowState.valueOf(node.path("state").asText()), tasks,
                    hook.isTextual() ? Optional.of(hook.asText()) : Optional.empty());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a workflow outcome: " + json + " (" + e.getMessage() + ")", e);
        }
    }
}
