-- WorkflowCoordinator: one workflow per hook event, and every state transition of it and its tasks.
CREATE TABLE workflows (
    workflow_id  TEXT        PRIMARY KEY,
    name         TEXT        NOT NULL,
    state        TEXT        NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- task_name is NULL for a transition of the workflow itself
CREATE TABLE workflow_transitions (
    id           BIGSERIAL   PRIMARY KEY,
    workflow_id  TEXT        NOT NULL REFERENCES workflows (workflow_id),
    task_name    TEXT,
    to_state     TEXT        NOT NULL,
    at           TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
