-- WorkflowCoordinator: workflows, their tasks, and every state transition of either.
CREATE TABLE workflows (
    workflow_id  TEXT        PRIMARY KEY,
    name         TEXT        NOT NULL,
    state        TEXT        NOT NULL,
    hook_source  TEXT,
    hook_event   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE workflow_tasks (
    workflow_id  TEXT        NOT NULL REFERENCES workflows (workflow_id),
    position     INT         NOT NULL,
    name         TEXT        NOT NULL,
    state        TEXT        NOT NULL,
    detail       TEXT,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (workflow_id, position)
);

-- task_name is NULL for a transition of the workflow itself; from_state is NULL on creation.
CREATE TABLE workflow_transitions (
    id           BIGSERIAL   PRIMARY KEY,
    workflow_id  TEXT        NOT NULL REFERENCES workflows (workflow_id),
    task_name    TEXT,
    from_state   TEXT,
    to_state     TEXT        NOT NULL,
    detail       TEXT,
    at           TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX workflow_transitions_by_workflow ON workflow_transitions (workflow_id, id);
