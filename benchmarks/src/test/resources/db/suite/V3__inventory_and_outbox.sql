CREATE TABLE inventory (
    product_id BIGINT  PRIMARY KEY REFERENCES products (id),
    on_hand    INTEGER NOT NULL DEFAULT 0,
    reserved   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity    TEXT        NOT NULL,
    entity_id BIGINT      NOT NULL,
    action    TEXT        NOT NULL,
    at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TABLE outbox (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic     TEXT        NOT NULL,
    msg_key   TEXT        NOT NULL,
    payload   TEXT        NOT NULL,
    sent      BOOLEAN     NOT NULL DEFAULT false,
    queued_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX outbox_unsent ON outbox (queued_at) WHERE NOT sent;

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (name, value) VALUES ('currency', 'EUR'), ('tax_rate', '0.19');
