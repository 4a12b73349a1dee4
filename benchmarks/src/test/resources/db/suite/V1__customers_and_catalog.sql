-- The suite's schema: twelve tables of a small shop, with indexes and foreign keys.
CREATE TABLE customers (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ext_key    TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    email      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX customers_ext_key ON customers (ext_key);
CREATE UNIQUE INDEX customers_email ON customers (email);

CREATE TABLE addresses (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    street      TEXT   NOT NULL,
    city        TEXT   NOT NULL,
    country     CHAR(2) NOT NULL
);
CREATE INDEX addresses_customer ON addresses (customer_id);

CREATE TABLE categories (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE products (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id BIGINT REFERENCES categories (id),
    sku         TEXT          NOT NULL UNIQUE,
    price       NUMERIC(12,2) NOT NULL CHECK (price >= 0)
);
CREATE INDEX products_category ON products (category_id);
