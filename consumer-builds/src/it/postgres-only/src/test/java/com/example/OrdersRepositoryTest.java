package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import org.junit.jupiter.api.RepeatedTest;

/** fixtures-postgres alone, no Flyway: the built-in runner migrates each repetition's own schema. */
// tag::postgres[]
@IsolatedPostgres(migrations = "db/migration")
class OrdersRepositoryTest {

    @RepeatedTest(2)
    void storesAnOrder(PostgresHandle postgres) {
        postgres.update("INSERT INTO orders (id, item) VALUES (?, ?)", 1, "coffee");

        assertThat(postgres.queryForObject("SELECT item FROM orders WHERE id = ?", String.class, 1)).isEqualTo("coffee");
        assertThat(postgres.tableNames()).containsExactly("orders"); // no Flyway history table
    }
}
// end::postgres[]
