-- a migration set of its own for PoolSizingTest, so no other test's takes share its pool
CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);
