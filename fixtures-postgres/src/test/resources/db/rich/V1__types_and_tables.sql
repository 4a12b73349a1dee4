-- a rich schema: every kind of object a copy must reproduce
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN positive_amount AS NUMERIC(12,2) CHECK (VALUE > 0);
COMMENT ON TYPE order_status IS 'where an order is';
CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 5;

CREATE TABLE customers (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email   TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL CHECK (length(name) > 0),
    created TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE customers IS 'who buys';
COMMENT ON COLUMN customers.email IS 'unique, lower case';

CREATE TABLE orders (
    id          BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    status      order_status NOT NULL DEFAULT 'new',
    amount      positive_amount NOT NULL,
    invoice     BIGINT NOT NULL DEFAULT nextval('invoice_numbers'),
    note        TEXT,
    CONSTRAINT orders_invoice_unique UNIQUE (invoice)
);
CREATE INDEX orders_open ON orders (customer_id) WHERE status <> 'shipped';
CREATE INDEX orders_note_lower ON orders (lower(note));
