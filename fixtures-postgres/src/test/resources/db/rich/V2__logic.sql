CREATE VIEW open_orders AS
    SELECT o.id, c.email, o.amount FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status <> 'shipped';
COMMENT ON VIEW open_orders IS 'not yet shipped';

CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id;

CREATE FUNCTION touch_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.note := coalesce(NEW.note, 'none');
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION touch_note() IS 'fills in the note';
CREATE TRIGGER orders_touch BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch_note();

-- a function whose body names its own schema, as the migration found it
DO $$
BEGIN
    EXECUTE format('CREATE FUNCTION qualified_count() RETURNS BIGINT LANGUAGE sql AS %L',
                   format('SELECT count(*) FROM %I.orders', current_schema()));
END
$$;

GRANT SELECT ON open_orders TO PUBLIC;
GRANT USAGE ON SEQUENCE invoice_numbers TO PUBLIC;
REVOKE EXECUTE ON FUNCTION qualified_count() FROM PUBLIC;
