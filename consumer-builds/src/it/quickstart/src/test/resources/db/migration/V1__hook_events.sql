-- HookReceiver: every accepted webhook event, once per (source, event id).
CREATE TABLE hook_events (
    source      TEXT        NOT NULL,
    event_id    TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    payload     JSONB       NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, event_id)
);
