-- ten tables, as a typical service schema might have
CREATE TABLE table_01 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now()
    
);
CREATE INDEX table_01_name ON table_01(name);
CREATE TABLE table_02 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    parent_id BIGINT REFERENCES table_01(id)
);
CREATE INDEX table_02_name ON table_02(name);
CREATE TABLE table_03 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    parent_id BIGINT REFERENCES table_02(id)
);
CREATE INDEX table_03_name ON table_03(name);
CREATE TABLE table_04 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    parent_id BIGINT REFERENCES table_03(id)
);
CREATE INDEX table_04_name ON table_04(name);
CREATE TABLE table_05 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    parent_id BIGINT REFERENCES table_04(id)
);
CREATE INDEX table_05_name ON table_05(name);
CREATE TABLE table_06 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    parent_id BIGINT REFERENCES table_05(id)
);
CREATE INDEX table_06_name ON table_06(name);
CREATE TABLE table_07 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    parent_id BIGINT REFERENCES table_06(id)
);
CREATE INDEX table_07_name ON table_07(name);
CREATE TABLE table_08 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    parent_id BIGINT REFERENCES table_07(id)
);
CREATE INDEX table_08_name ON table_08(name);
CREATE TABLE table_09 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    parent_id BIGINT REFERENCES table_08(id)
);
CREATE INDEX table_09_name ON table_09(name);
CREATE TABLE table_10 (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    parent_id BIGINT REFERENCES table_09(id)
);
CREATE INDEX table_10_name ON table_10(name);
