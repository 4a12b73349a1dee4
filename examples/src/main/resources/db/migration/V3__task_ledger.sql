-- LedgerDownstream: the default downstream dependency, one row per executed task.
CREATE TABLE task_ledger (
    workflow_id  TEXT        NOT NULL,
    task_name    TEXT        NOT NULL,
    executed_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (workflow_id, task_name)
);
