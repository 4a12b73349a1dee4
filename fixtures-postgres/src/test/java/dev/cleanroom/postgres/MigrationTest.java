package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import dev.cleanroom.testkit.EngineKit;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Migrations with Flyway and with the built-in runner; failing migrations name file and statement and leave nothing. */
@ExtendWith(CleanroomExtension.class)
@ExtendWith(ServerAdmin.SharedServer.class)
@UsesSharedServer(PostgresServerProvider.class)
class MigrationTest {

    @ParameterizedTest
    @ValueSource(strings = {"flyway", "builtin"})
    void appliesTheScriptsInVersionOrder(String migrator) {
        EngineExecutionResults results = EngineKit.run(Migrated.class, Map.of("cleanroom.postgres.migrator", migrator));

        assertThat(results.testEvents().succeeded().count()).as(EngineKit.failures(results)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"flyway", "builtin"})
    void aFailingMigrationNamesFileAndStatementAndLeavesNothing(String migrator, PostgresServer server) throws Exception {
        EngineExecutionResults results = EngineKit.run(BadMigration.class, Map.of("cleanroom.postgres.migrator", migrator));

        assertThat(results.testEvents().failed().count()).isEqualTo(2); // schema and database mode
        List<String> messages = EngineKit.failureMessages(results);
        assertThat(messages).hasSize(2).allSatisfy(message -> assertThat(message)
                .startsWith("MigrationException")
                .contains("V2__broken.sql")
                .contains("CREATE TABLE broken_table (id INTEGR)")
                .contains("type \"integr\" does not exist"));
        if (migrator.equals("builtin")) {
            assertThat(messages).allSatisfy(message -> assertThat(message).contains("line 3"));
        }
        try (Connection admin = ServerAdmin.admin(server)) {
            ServerAdmin.awaitEmpty("every schema and database the bad migration touched", Duration.ofSeconds(30), () -> {
                List<String> left = ServerAdmin.names(admin, "SELECT table_schema FROM information_schema.tables "
                        + "WHERE table_name IN ('bad_set_marker', 'fine_table')");
                left.addAll(ServerAdmin.names(admin, "SELECT datname FROM pg_database d WHERE datname LIKE '"
                        + server.prefix().replace("_", "\\_") + "%' AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a "
                        + "WHERE a.datname = d.datname) AND datname NOT IN (" + knownDatabases(admin, server) + ")"));
                return left;
            });
        }
    }

    @Test
    void aMissingLocationIsAConfigurationErrorThatSaysWhereToPutTheScripts() {
        EngineExecutionResults results = EngineKit.run(MissingLocation.class, Map.of());

        assertThat(EngineKit.failureMessages(results)).singleElement().asString()
                .startsWith("ConfigurationException")
                .contains("@IsolatedPostgres(migrations = \"db/does-not-exist\")")
                .contains("src/test/resources/db/does-not-exist")
                .contains("migrations = \"\"");
    }

    /** Databases of the run that belong to live pools (templates and prepared stock): not leftovers. */
    private static String knownDatabases(Connection admin, PostgresServer server) throws Exception {
        List<String> all = ServerAdmin.names(admin, "SELECT datname FROM pg_database WHERE datname LIKE '"
                + server.prefix().replace("_", "\\_") + "%'");
        // a failed template is dropped; every other database of this run has a template or stock name
        all.removeIf(name -> !name.matches(".*_[pt][0-9]+"));
        return all.isEmpty() ? "''" : String.join(",", all.stream().map(n -> "'" + n + "'").toList());
    }

    @IsolatedPostgres(migrations = "db/migration")
    static class Migrated {
        @Test
        void schemaMode(PostgresHandle postgres) {
            assertThat(postgres.tableNames()).containsExactly("audit_log", "orders");
            assertThat(postgres.queryForObject("SELECT message FROM audit_log", String.class)).isEqualTo("schema created; ready");
        }

        @Test
        @IsolatedPostgres(migrations = "db/migration", mode = Mode.DATABASE)
        void databaseMode(PostgresHandle postgres) {
            assertThat(postgres.tableNames()).containsExactly("audit_log", "orders");
            assertThat(postgres.queryForObject("SELECT order_count()", Long.class)).isZero();
        }
    }

    static class BadMigration {
        @Test
        @IsolatedPostgres(migrations = "db/bad")
        void schemaMode(PostgresHandle postgres) {
            throw new AssertionError("must not run: " + postgres);
        }

        @Test
        @IsolatedPostgres(migrations = "db/bad", mode = Mode.DATABASE)
        void databaseMode(PostgresHandle postgres) {
            throw new AssertionError("must not run: " + postgres);
        }
    }

    @IsolatedPostgres(migrations = "db/does-not-exist")
    static class MissingLocation {
        @Test
        void test(PostgresHandle postgres) {
            throw new AssertionError("must not run: " + postgres);
        }
    }
}
