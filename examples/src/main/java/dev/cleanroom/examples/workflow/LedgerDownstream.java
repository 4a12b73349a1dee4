package dev.cleanroom.examples.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The default {@link Downstream}: records each task once in the {@code task_ledger} table
 * (V3__task_ledger.sql), standing in for a remote service. Idempotent: a task done twice is
 * recorded once and answered {@code "already done"}.
 */
public final class LedgerDownstream implements Downstream {

    private final DataSource dataSource;

    public LedgerDownstream(DataSource dataSource) {
        this.dataSource = java.util.Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public String execute(TaskRequest request) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO task_ledger (workflow_id, task_name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, request.workflowId());
            insert.setString(2, request.task());
            return insert.executeUpdate() == 1 ? "done" : "already done";
        }
    }
}
