package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.RunId;
import dev.cleanroom.core.internal.DockerProbe;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.internal.ContainerEngine;
import dev.cleanroom.postgres.internal.EmbeddedEngine;
import dev.cleanroom.postgres.internal.Endpoint;
import dev.cleanroom.postgres.internal.ServerEngine;
import dev.cleanroom.testkit.EngineKit;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A nested suite on the external engine, pointed at a server this class starts itself (on
 * the engine this JVM tests: testcontainers or embedded). After the suite, nothing of the
 * run may remain on that server: no schema, database or role whose name starts with
 * {@code cr<run id>_}. Leftovers of a dead run are dropped when the suite starts, those of a
 * live run are not.
 */
class LeftoverTest {

    private static final String DEAD_RUN = "a00000dead";
    private static final String LIVE_RUN = "a00000live";
    private static ServerEngine server;

    @BeforeAll
    static void startServer() throws Exception {
        // the engine this JVM tests; by default (auto) Testcontainers where Docker answers, else embedded
        String engine = System.getenv().getOrDefault("CLEANROOM_POSTGRES_ENGINE", "auto");
        if (engine.equals("auto")) {
            engine = DockerProbe.status(Duration.ofSeconds(20)).available() ? "testcontainers" : "embedded";
        }
        server = engine.equals("embedded") ? EmbeddedEngine.start("nobody", "cleanroom.postgres.embedded.os-user")
                : ContainerEngine.start(System.getenv().getOrDefault("CLEANROOM_POSTGRES_IMAGE", "postgres:18-alpine"), false);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void nothingOfTheRunRemainsAfterTheSuiteAndDeadRunsAreCleanedUp() throws Exception {
        Endpoint endpoint = server.endpoint();
        try (Connection admin = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), endpoint.password());
             Connection liveRun = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), endpoint.password())) {
            plantLeftovers(admin, DEAD_RUN);
            plantLeftovers(admin, LIVE_RUN);
            try (Statement st = liveRun.createStatement()) { // a live run holds its lock
                st.execute("SELECT pg_advisory_lock(" + Long.parseLong(LIVE_RUN, 36) + ")");
            }

            Map<String, String> external = new HashMap<>(EngineKit.parallel(4));
            external.put("cleanroom.postgres.engine", "external");
            external.put("cleanroom.postgres.url", endpoint.jdbcUrl());
            external.put("cleanroom.postgres.user", endpoint.user());
            external.put("cleanroom.postgres.password", endpoint.password());
            EngineExecutionResults results = EngineKit.run(Suite.class, external);

            assertThat(results.testEvents().succeeded().count()).as(EngineKit.failures(results)).isEqualTo(6);
            assertThat(results.testEvents().failed().count()).isEqualTo(1); // the bad migration
            String run = "cr" + RunId.current() + "\\_%";
            assertThat(ServerAdmin.names(admin, "SELECT nspname FROM pg_namespace WHERE nspname LIKE '" + run + "'")).isEmpty();
            assertThat(ServerAdmin.names(admin, "SELECT datname FROM pg_database WHERE datname LIKE '" + run + "'")).isEmpty();
            assertThat(ServerAdmin.names(admin, "SELECT rolname FROM pg_roles WHERE rolname LIKE '" + run + "'")).isEmpty();
            assertThat(removed("schemas")).as("schemas removed").isEqualTo(created("schemas"));
            assertThat(removed("databases")).as("databases removed").isEqualTo(created("databases")).isPositive();

            assertThat(leftoversOf(admin, DEAD_RUN)).as("a dead run's leftovers are dropped").isEmpty();
            assertThat(leftoversOf(admin, LIVE_RUN)).as("a live run's names are not touched").hasSize(3);
        }
    }

    /** The nested suite's own statistics (a run of its own). */
    private static volatile RunStatistics suiteRun;

    private static long created(String kind) {
        RunStatistics.Resource r = suiteRun.snapshot().resources().get(kind);
        return r == null ? 0 : r.created();
    }

    private static long removed(String kind) {
        RunStatistics.Resource r = suiteRun.snapshot().resources().get(kind);
        return r == null ? 0 : r.removed();
    }

    private static void plantLeftovers(Connection admin, String run) throws Exception {
        try (Statement st = admin.createStatement()) {
            st.execute("CREATE ROLE cr" + run + "_p1 LOGIN");
            st.execute("CREATE SCHEMA cr" + run + "_1_sometest AUTHORIZATION cr" + run + "_p1");
            st.execute("CREATE TABLE cr" + run + "_1_sometest.t (id INT)");
            st.execute("CREATE DATABASE cr" + run + "_2_othertest");
        }
    }

    private static List<String> leftoversOf(Connection admin, String run) throws Exception {
        List<String> names = ServerAdmin.names(admin, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'cr" + run + "%'");
        names.addAll(ServerAdmin.names(admin, "SELECT datname FROM pg_database WHERE datname LIKE 'cr" + run + "%'"));
        names.addAll(ServerAdmin.names(admin, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'cr" + run + "%'"));
        return names;
    }

    @IsolatedPostgres(migrations = "db/migration", ddl = true) // its test creates a table
    static class Suite {
        @RegisterExtension
        static final BeforeAllCallback RUN = context -> suiteRun = RunStatistics.of(context);

        @RepeatedTest(4)
        void schemaPerTest(PostgresHandle postgres) {
            postgres.update("INSERT INTO orders (id, item) VALUES (1, 'x')");
            postgres.update("CREATE TABLE scratch (id INT)");
            assertThat(postgres.queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(1);
        }

        @RepeatedTest(2)
        @IsolatedPostgres(migrations = "db/migration", mode = Mode.DATABASE)
        void databasePerTest(PostgresHandle postgres) {
            postgres.update("INSERT INTO orders (id, item) VALUES (1, 'x')");
            assertThat(postgres.queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(1);
        }

        @Test
        @IsolatedPostgres(migrations = "db/bad")
        void badMigration(PostgresHandle postgres) {
            throw new AssertionError("must not run: " + postgres);
        }
    }
}
