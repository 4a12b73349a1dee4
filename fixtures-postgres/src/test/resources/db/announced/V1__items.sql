-- a migration set of its own for PlannedDemandTest, so no other test's takes share its pool
CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL);
