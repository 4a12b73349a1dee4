CREATE TABLE orders (
    id      TEXT PRIMARY KEY,
    status  TEXT NOT NULL
);
CREATE TABLE order_events (
    seq      BIGSERIAL PRIMARY KEY,
    order_id TEXT NOT NULL,
    status   TEXT NOT NULL
);
