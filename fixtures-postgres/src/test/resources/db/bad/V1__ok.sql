CREATE TABLE bad_set_marker (id INT);
