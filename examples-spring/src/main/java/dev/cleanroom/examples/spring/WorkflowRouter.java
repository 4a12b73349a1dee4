package dev.cleanroom.examples.spring;

import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Which tasks a hook event's type starts; no tasks (no workflow) for a type no route knows. */
@Component
public class WorkflowRouter {

    /** A task that always fails, so that the failure path can be shown. */
    public static final String FAILING_TASK = "explode";

    private static final Map<String, List<String>> ROUTES = Map.of(
            "order.created", List.of("reserve", "charge", "ship"),
            "order.cancelled", List.of("refund"),
            "order.broken", List.of("reserve", FAILING_TASK));

    public List<String> tasksFor(String eventType) {
        return ROUTES.getOrDefault(eventType, List.of());
    }
}
