package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The README's example: every test gets its own migrated schema on the shared server. */
@IsolatedPostgres(migrations = "db/migration")
class OrdersRepositoryTest {

    @Test
    void storesAnOrder(PostgresHandle postgres) {
        postgres.update("INSERT INTO orders (id, item) VALUES (?, ?)", 1, "coffee");

        assertThat(postgres.queryForObject("SELECT item FROM orders WHERE id = ?", String.class, 1)).isEqualTo("coffee");
        assertThat(postgres.tableNames()).containsExactly("audit_log", "orders");
    }

    @RepeatedTest(3)
    void startsEmptyEveryTime(PostgresHandle postgres) {
        assertThat(postgres.queryForObject("SELECT order_count()", Long.class)).isZero();
        postgres.update("INSERT INTO orders (id, item) VALUES (1, 'tea')");
        assertThat(postgres.queryForObject("SELECT order_count()", Long.class)).isEqualTo(1);
    }

    private static final java.util.Set<String> SCHEMAS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @ParameterizedTest
    @ValueSource(strings = {"a", "b"})
    void parameterizedInvocationsGetSchemasOfTheirOwn(String item, PostgresHandle postgres) {
        postgres.update("INSERT INTO orders (id, item) VALUES (1, ?)", item);
        assertThat(postgres.queryForList("SELECT item FROM orders")).containsExactly(java.util.Map.of("item", item));
        // the name it was prepared (or last reset) under: the run id, a number no other schema of the run had
        assertThat(postgres.schema()).matches("cr[a-z0-9]{10}_p[0-9]+");
        assertThat(SCHEMAS.add(postgres.schema())).as("a schema name no other invocation had").isTrue();
    }

    @Test
    void dataSourceSeesOnlyTheTestSchema(DataSource dataSource, PostgresHandle postgres) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_schema(), current_user, (SELECT message FROM audit_log)")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(postgres.schema());
            assertThat(rs.getString(2)).isEqualTo(postgres.user());
            assertThat(rs.getString(3)).isEqualTo("schema created; ready");
        }
        assertThat(postgres.properties()).containsEntry("spring.datasource.url", postgres.jdbcUrl())
                .containsEntry("spring.datasource.username", postgres.user());
        assertThat(postgres.jdbcUrl()).contains("currentSchema=" + postgres.schema());
    }
}
