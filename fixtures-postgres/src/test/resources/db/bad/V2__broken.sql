-- the second statement is wrong
CREATE TABLE fine_table (id INT);
CREATE TABLE broken_table (id INTEGR);
