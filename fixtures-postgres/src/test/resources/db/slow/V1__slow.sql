-- Preparing a schema from this set takes 100 s: long enough for a test to be waiting for it when the server dies.
CREATE TABLE t (id int);
SELECT pg_sleep(100);
