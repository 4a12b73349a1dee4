package dev.cleanroom.examples.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Records workflows, their tasks and every state transition (tables of V2__workflows.sql). */
final class WorkflowStore {

    private final DataSource dataSource;

    WorkflowStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the workflow and its tasks, all PENDING; false when a workflow with this id exists. */
    boolean create(String workflowId, WorkflowDefinition definition, String hookSource, String hookEvent)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO workflows (workflow_id, name, state, hook_source, hook_event) VALUES (?, ?, ?, ?, ?) "
                                + "ON CONFLICT (workflow_id) DO NOTHING")) {
                    insert.setString(1, workflowId);
                    insert.setString(2, definition.name());
                    insert.setString(3, WorkflowState.PENDING.name());
                    insert.setString(4, hookSource);
                    insert.setString(5, hookEvent);
                    if (insert.executeUpdate() == 0) {
                        connection.rollback();
                        return false;
                    }
                }
                try (PreparedStatement tasks = connection.prepareStatement(
                        "INSERT INTO workflow_tasks (workflow_id, position, name, state) VALUES (?, ?, ?, ?)")) {
                    List<String> names = definition.tasks();
                    for (int i = 0; i < names.size(); i++) {
                        tasks.setString(1, workflowId);
                        tasks.setInt(2, i);
                        tasks.setString(3, names.get(i));
                        tasks.setString(4, TaskState.PENDING.name());
                        tasks.addBatch();
                    }
                    tasks.executeBatch();
                }
                try (PreparedStatement transition = connection.prepareStatement(
                        "INSERT INTO workflow_transitions (workflow_id, task_name, from_state, to_state, detail) "
                                + "VALUES (?, ?, NULL, ?, ?)")) {
                    transition.setString(1, workflowId);
                    transition.setString(2, null);
                    transition.setString(3, WorkflowState.PENDING.name());
                    transition.setString(4, hookSource == null ? "submitted" : "hook " + hookSource + ":" + hookEvent);
                    transition.addBatch();
                    for (String task : definition.tasks()) {
                        transition.setString(2, task);
                        transition.setString(3, TaskState.PENDING.name());
                        transition.setString(4, null);
                        transition.addBatch();
                    }
                    transition.executeBatch();
                }
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
    }

    void workflowTransition(String workflowId, WorkflowState from, WorkflowState to, String detail) throws SQLException {
        transition("UPDATE workflows SET state = ?, updated_at = clock_timestamp() WHERE workflow_id = ? AND state = ?",
                workflowId, -1, null, from.name(), to.name(), detail);
    }

    void taskTransition(String workflowId, int position, String task, TaskState from, TaskState to, String detail)
            throws SQLException {
        transition("UPDATE workflow_tasks SET state = ?, detail = ?, updated_at = clock_timestamp() "
                + "WHERE workflow_id = ? AND state = ? AND position = ?", workflowId, position, task, from.name(), to.name(), detail);
    }

    private void transition(String update, String workflowId, int position, String task, String from, String to,
                            String detail) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement statement = connection.prepareStatement(update)) {
                    int i = 1;
                    statement.setString(i++, to);
                    if (task != null) {
                        statement.setString(i++, detail);
                    }
                    statement.setString(i++, workflowId);
                    statement.setString(i++, from);
                    if (task != null) {
                        statement.setInt(i, position);
                    }
                    if (statement.executeUpdate() != 1) {
                        throw new IllegalStateException("workflow " + workflowId + (task == null ? "" : " task " + task)
                                + " is not in state " + from + ", cannot move it to " + to);
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO workflow_transitions (workflow_id, task_name, from_state, to_state, detail) "
                                + "VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, workflowId);
                    insert.setString(2, task);
                    insert.setString(3, from);
                    insert.setString(4, to);
                    insert.setString(5, detail);
                    insert.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException failure) {
            cause.addSuppressed(failure);
        }
    }
}
