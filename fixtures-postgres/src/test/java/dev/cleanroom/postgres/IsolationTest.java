package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import dev.cleanroom.testkit.EngineKit;
import dev.cleanroom.testkit.Pairing;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Tests run in parallel see only their own schema (or database), and cannot reach another test's. */
@ExtendWith(CleanroomExtension.class)
@UsesSharedServer(PostgresServerProvider.class) // this run holds the server, so the nested runs share it
class IsolationTest {

    @Test
    void parallelTestsSeeOnlyTheirOwnRows() {
        ParallelSchemas.SCHEMAS.clear();
        EngineExecutionResults results = EngineKit.run(ParallelSchemas.class, EngineKit.parallel(4));

        assertThat(results.testEvents().succeeded().count()).as(EngineKit.failures(results)).isEqualTo(8);
        assertThat(results.testEvents().failed().count()).isZero();
        assertThat(ParallelSchemas.SCHEMAS).hasSize(8);
    }

    @Test
    void aTestsPoolCannotReadChangeOrDropAnotherTestsSchema() {
        EngineExecutionResults results = EngineKit.run(CrossAccess.class, EngineKit.parallel(4));

        assertThat(results.testEvents().succeeded().count()).as(EngineKit.failures(results)).isEqualTo(2);
    }

    @Test
    void aTestThatMayRunDdlCannotReachAnotherTestsSchemaEither() {
        EngineExecutionResults results = EngineKit.run(CrossAccessWithDdl.class, EngineKit.parallel(4));

        assertThat(results.testEvents().succeeded().count()).as(EngineKit.failures(results)).isEqualTo(2);
    }

    @Test
    void databasePerTestInParallel() {
        ParallelDatabases.DATABASES.clear();
        ParallelDatabases.TRIED.clear();
        EngineExecutionResults results = EngineKit.run(ParallelDatabases.class, EngineKit.parallel(4));

        assertThat(results.testEvents().succeeded().count()).as(EngineKit.failures(results)).isEqualTo(4);
        assertThat(ParallelDatabases.DATABASES).hasSize(4);
        assertThat(ParallelDatabases.TRIED).as("every database was tried by another test").isEqualTo(ParallelDatabases.DATABASES);
    }

    @IsolatedPostgres(migrations = "db/migration")
    static class ParallelSchemas {
        static final Set<String> SCHEMAS = ConcurrentHashMap.newKeySet();

        @RepeatedTest(8)
        void writesAndReadsOnlyItsOwnRows(PostgresHandle postgres) throws Exception {
            SCHEMAS.add(postgres.schema());
            postgres.update("INSERT INTO orders (id, item) VALUES (1, ?)", postgres.schema());
            Thread.sleep(20); // overlap with the others
            assertThat(postgres.queryForList("SELECT item FROM orders"))
                    .containsExactly(java.util.Map.of("item", postgres.schema()));
            assertThat(postgres.queryForObject("SELECT count(*) FROM audit_log", Long.class)).isEqualTo(1);
        }
    }

    /** By default a test's role reads and writes rows only: its own schema's shape is out of its reach too. */
    @IsolatedPostgres(migrations = "db/migration")
    static class CrossAccess {
        static final Pairing<String> PAIR = new Pairing<>(60);

        @Test
        void first(PostgresHandle postgres) throws Exception {
            tryTheOther(PAIR, postgres, false);
        }

        @Test
        void second(PostgresHandle postgres) throws Exception {
            tryTheOther(PAIR, postgres, false);
        }

        /** With the other test, while both schemas exist. */
        static void tryTheOther(Pairing<String> pair, PostgresHandle postgres, boolean ddl) throws Exception {
            pair.with(postgres.schema(), other -> {
                assertThat(other).isNotEqualTo(postgres.schema());
                assertThatThrownBy(() -> postgres.queryForList("SELECT * FROM " + other + ".orders"))
                        .hasMessageContaining("permission denied for schema " + other);
                assertThatThrownBy(() -> postgres.update("INSERT INTO " + other + ".orders (id, item) VALUES (9, 'x')"))
                        .hasMessageContaining("permission denied for schema " + other);
                assertThatThrownBy(() -> postgres.update("CREATE TABLE " + other + ".intruder (id INT)"))
                        .hasMessageContaining("permission denied for schema " + other);
                assertThatThrownBy(() -> postgres.update("DROP SCHEMA " + other + " CASCADE"))
                        .hasMessageContaining("must be owner of schema " + other);
                assertThatThrownBy(() -> postgres.update("CREATE TABLE public.leak (id INT)"))
                        .hasMessageContaining("permission denied for schema public");
                if (ddl) {
                    postgres.update("CREATE TABLE mine (id INT)"); // unqualified names land in the test's own schema
                    assertThat(postgres.tableNames()).contains("mine");
                } else {
                    refusesDdlNamingTheSwitch(postgres);
                }
            });
        }

        private static void refusesDdlNamingTheSwitch(PostgresHandle postgres) throws SQLException {
            assertThatThrownBy(() -> postgres.update("CREATE TABLE mine (id INT)"))
                    .hasMessageContaining("permission denied for schema " + postgres.schema())
                    .hasMessageContaining("@IsolatedPostgres(ddl = true)");
            assertThatThrownBy(() -> postgres.update("ALTER TABLE orders ADD COLUMN extra TEXT"))
                    .hasMessageContaining("must be owner of table orders")
                    .hasMessageContaining("cleanroom.postgres.ddl=true");
            // the DataSource's own connections say it too, with the server's SQLState
            try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("DROP TABLE audit_log"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("must be owner of table audit_log")
                        .hasMessageContaining("@IsolatedPostgres(ddl = true)");
                assertThat(st.getConnection()).isSameAs(c);
            }
            // rows are the test's to change
            postgres.update("INSERT INTO orders (id, item) VALUES (7, 'mine')");
            postgres.update("TRUNCATE audit_log");
            assertThat(postgres.queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(1);
            assertThat(postgres.tableNames()).containsExactly("audit_log", "orders");
            // and the schema's owner is a role nobody logs in as (not even where the server trusts local logins)
            assertThat(postgres.user()).isNotEqualTo(postgres.schema());
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.schema(), postgres.password())
                    .close()).isInstanceOf(SQLException.class);
        }
    }

    /** A test that declares DDL owns its schema, and still cannot reach another test's. */
    @IsolatedPostgres(migrations = "db/migration", ddl = true)
    static class CrossAccessWithDdl {
        static final Pairing<String> PAIR = new Pairing<>(60);

        @Test
        void first(PostgresHandle postgres) throws Exception {
            CrossAccess.tryTheOther(PAIR, postgres, true);
        }

        @Test
        void second(PostgresHandle postgres) throws Exception {
            CrossAccess.tryTheOther(PAIR, postgres, true);
        }
    }

    @IsolatedPostgres(migrations = "db/migration", mode = Mode.DATABASE)
    static class ParallelDatabases {
        static final Set<String> DATABASES = ConcurrentHashMap.newKeySet();
        static final Set<String> TRIED = ConcurrentHashMap.newKeySet();
        static final Pairing<String> PAIRS = new Pairing<>(120);

        @RepeatedTest(4)
        void ownsAWholeDatabase(PostgresHandle postgres) throws Exception {
            DATABASES.add(postgres.database());
            assertThat(postgres.schema()).isEqualTo("public");
            assertThat(postgres.mode()).isEqualTo(Mode.DATABASE);
            postgres.update("INSERT INTO orders (id, item) VALUES (1, ?)", postgres.database());
            postgres.update("CREATE TABLE extra (id INT)");
            assertThat(postgres.queryForObject("SELECT item FROM orders", String.class)).isEqualTo(postgres.database());
            assertThat(postgres.queryForObject("SELECT order_count()", Long.class)).isEqualTo(1);
            assertThat(postgres.tableNames()).containsExactly("audit_log", "extra", "orders");
            // with whichever repetition runs at the same time, while both databases exist
            PAIRS.with(postgres.database(), other -> {
                assertThat(other).isNotEqualTo(postgres.database());
                String url = postgres.jdbcUrl().replace("/" + postgres.database() + "?", "/" + other + "?");
                assertThatThrownBy(() -> {
                    try (Connection ignored = DriverManager.getConnection(url, postgres.user(), postgres.password())) {
                        // connecting is the point
                    }
                }).isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database \"" + other + "\"");
                TRIED.add(other);
            });
        }
    }
}
