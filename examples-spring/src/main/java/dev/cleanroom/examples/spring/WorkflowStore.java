package dev.cleanroom.examples.spring;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Workflows and their transitions, through the application's DataSource. */
@Repository
public class WorkflowStore {

    private final JdbcTemplate jdbc;

    public WorkflowStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the workflow in state RUNNING; false if it exists already (an event is worked on once). */
    public boolean start(String workflowId, String name) {
        if (jdbc.update("insert into workflows(workflow_id, name, state) values (?, ?, 'RUNNING') on conflict do nothing",
                workflowId, name) == 0) {
            return false;
        }
        transition(workflowId, null, "RUNNING");
        return true;
    }

    /** Records a transition of a task ({@code taskName}) or, with null, of the workflow itself. */
    public void transition(String workflowId, String taskName, String state) {
        jdbc.update("insert into workflow_transitions(workflow_id, task_name, to_state) values (?, ?, ?)",
                workflowId, taskName, state);
        if (taskName == null) {
            jdbc.update("update workflows set state = ?, updated_at = clock_timestamp() where workflow_id = ?",
                    state, workflowId);
        }
    }

    public Optional<String> state(String workflowId) {
        return jdbc.queryForList("select state from workflows where workflow_id = ?", String.class, workflowId)
                .stream().findFirst();
    }

    /** "task:STATE" (or "workflow:STATE") in the order they happened. */
    public List<String> transitions(String workflowId) {
        return jdbc.queryForList("select coalesce(task_name, 'workflow') || ':' || to_state from workflow_transitions "
                + "where workflow_id = ? order by id", String.class, workflowId);
    }
}
