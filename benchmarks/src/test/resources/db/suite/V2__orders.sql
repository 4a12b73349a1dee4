CREATE TABLE orders (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id BIGINT        NOT NULL REFERENCES customers (id),
    ext_key     TEXT          NOT NULL,
    status      TEXT          NOT NULL DEFAULT 'NEW',
    total       NUMERIC(12,2) NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_ext_key_status ON orders (ext_key, status);

CREATE TABLE order_lines (
    order_id   BIGINT  NOT NULL REFERENCES orders (id),
    line_no    INTEGER NOT NULL,
    product_id BIGINT  REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE payments (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id BIGINT        NOT NULL REFERENCES orders (id),
    amount   NUMERIC(12,2) NOT NULL,
    paid_at  TIMESTAMPTZ
);
CREATE INDEX payments_order ON payments (order_id);

CREATE TABLE shipments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   BIGINT NOT NULL REFERENCES orders (id),
    carrier    TEXT,
    tracking   TEXT UNIQUE
);
CREATE INDEX shipments_order ON shipments (order_id);
