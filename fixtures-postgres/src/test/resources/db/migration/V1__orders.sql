-- orders: one row per order
CREATE TABLE orders (
    id      BIGINT PRIMARY KEY,
    item    TEXT NOT NULL, -- what was ordered; a ';' in a comment must not split
    placed  TIMESTAMPTZ NOT NULL DEFAULT now()
);
