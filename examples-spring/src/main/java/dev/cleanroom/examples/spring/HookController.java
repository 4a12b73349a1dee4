package dev.cleanroom.examples.spring;

import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST: {@code POST /hooks/{source}} (202 new, 200 duplicate, 400 listing every problem,
 * nothing stored or published); {@code GET /workflows/{id}} (state and transitions, 404 if unknown).
 */
@RestController
public class HookController {

    private final HookReceiver receiver;
    private final WorkflowStore workflows;

    public HookController(HookReceiver receiver, WorkflowStore workflows) {
        this.receiver = receiver;
        this.workflows = workflows;
    }

    @PostMapping("/hooks/{source}")
    public ResponseEntity<Map<String, Object>> post(@PathVariable String source, @RequestBody HookRequest hook)
            throws Exception {
        List<String> problems = hook.problems();
        if (!problems.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("problems", problems));
        }
        boolean created = receiver.receive(source, hook);
        return ResponseEntity.status(created ? 202 : 200).body(Map.of("status", created ? "accepted" : "duplicate"));
    }

    @GetMapping("/workflows/{id}")
    public ResponseEntity<Map<String, Object>> workflow(@PathVariable String id) {
        return workflows.state(id)
                .<ResponseEntity<Map<String, Object>>>map(state -> ResponseEntity.ok(Map.of("workflowId", id,
                        "state", state, "transitions", workflows.transitions(id))))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
