package dev.cleanroom.examples.workflow;

import java.util.List;
import java.util.regex.Pattern;

/** A workflow to run: a name and its tasks, run one after the other in this order. */
public record WorkflowDefinition(String name, List<String> tasks) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public WorkflowDefinition {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("workflow name must be 1-100 characters [A-Za-z0-9._-], got '" + name + "'");
        }
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException("workflow '" + name + "' needs at least one task");
        }
        tasks = List.copyOf(tasks);
        for (String task : tasks) {
            if (!NAME.matcher(task).matches()) {
                throw new IllegalArgumentException("task names must be 1-100 characters [A-Za-z0-9._-]; workflow '"
                        + name + "' has '" + task + "'");
            }
        }
        if (tasks.stream().distinct().count() != tasks.size()) {
            throw new IllegalArgumentException("task names must be unique within workflow '" + name + "', got " + tasks);
        }
    }

    public static WorkflowDefinition of(String name, String... tasks) {
        return new WorkflowDefinition(name, List.of(tasks));
    }
}
