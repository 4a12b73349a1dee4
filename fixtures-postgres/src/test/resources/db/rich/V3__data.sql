INSERT INTO customers (email, name) VALUES ('a@example.com', 'Ann'), ('b@example.com', 'Bob');
INSERT INTO orders (customer_id, amount) VALUES (1, 10.50), (2, 99.00);
SELECT setval('invoice_numbers', 5000);
REFRESH MATERIALIZED VIEW order_totals;
