/* a function with a dollar-quoted body: the semicolons inside belong to it */
CREATE FUNCTION order_count() RETURNS BIGINT LANGUAGE plpgsql AS $body$
BEGIN
    RETURN (SELECT count(*) FROM orders);
END;
$body$;

CREATE TABLE audit_log (message TEXT NOT NULL);
INSERT INTO audit_log (message) VALUES ('schema created; ready');
