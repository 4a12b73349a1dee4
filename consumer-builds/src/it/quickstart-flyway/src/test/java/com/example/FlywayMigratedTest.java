package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import org.junit.jupiter.api.Test;

/** With Flyway on the class path, Flyway (with its history table) migrates each test's schema. */
@IsolatedPostgres(migrations = "db/migration")
class FlywayMigratedTest {

    @Test
    void flywayAppliedTheScript(PostgresHandle postgres) {
        assertThat(postgres.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success", Long.class))
                .isEqualTo(1);
        assertThat(postgres.tableNames()).containsExactly("hook_events");
    }
}
