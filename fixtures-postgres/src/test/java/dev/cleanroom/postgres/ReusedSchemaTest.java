package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.internal.IsolatedDatabase;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A schema its test released is reset and handed to a later test, and that test cannot tell
 * it from a freshly migrated one: the catalogs, the migration's rows, sequence values and
 * Flyway's history are the template's again; nothing the earlier test wrote, and no
 * connection it leaked, reaches the later test; a schema its test changed (DDL) is dropped.
 */
@ExtendWith(CleanroomExtension.class)
@ExtendWith(ServerAdmin.SharedServer.class)
@UsesSharedServer(PostgresServerProvider.class)
class ReusedSchemaTest {

    private static final String RICH = "db/rich";
    private static final String ORDERS = "db/migration";
    private static final Duration BOUND = Duration.ofSeconds(60);

    @ParameterizedTest
    @ValueSource(strings = {"flyway", "builtin"})
    void aReusedSchemaMatchesAFreshMigrationInTheCatalogsRowsAndSequences(String migrator, PostgresServer server)
            throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = config(migrator);
        try (Connection admin = ServerAdmin.admin(server)) {
            String reference = server.prefix() + "reuse_ref_" + migrator;
            String owner = reference + "_owner";
            List<String> expected;
            try {
                CopiedSchemaTest.migrateOnItsOwn(admin, server, reference, owner, migrator, loader);
                expected = CopiedSchemaTest.describe(admin, reference, owner);
            } finally {
                try (Statement st = admin.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + reference + " CASCADE; DROP OWNED BY " + owner
                            + "; DROP ROLE IF EXISTS " + owner);
                }
            }
            IsolatedDatabase first = server.isolate(Mode.SCHEMA, RICH, TestIdentity.named("Dirty" + migrator), loader, config);
            String oid = oid(server, first.schema());
            long recycledBefore = server.schemasRecycled();
            try {
                dirty(first);
            } finally {
                first.release();
            }
            await("the dirtied schema to be reset", () -> server.schemasRecycled() - recycledBefore);
            IsolatedDatabase again = takeUntil(server, RICH, loader, config, oid, "Clean" + migrator);
            try {
                assertThat(again.reused()).isTrue();
                assertThat(again.user()).as("a reused schema's role gets a new name").isNotEqualTo(first.user());
                assertThat(again.password()).as("and a new password").isNotEqualTo(first.password());
                assertThat(CopiedSchemaTest.describe(admin, again.schema(), again.user()))
                        .as("the reused schema %s against a fresh migration", again.schema())
                        .containsExactlyElementsOf(expected);
                assertThat(again.queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(2L);
                assertThat(again.queryForObject("SELECT nextval('invoice_numbers')", Long.class)).isEqualTo(5005L);
                assertThat(again.queryForObject("SELECT qualified_count()", Long.class))
                        .as("a function body that names its schema follows it").isEqualTo(2L);
                if (migrator.equals("flyway")) {
                    assertThat(CopiedSchemaTest.flywayOf(server, again, loader).migrate())
                            .extracting(MigrateResult::getSuccessfulMigrations).asList()
                            .as("an application's own Flyway finds the reused schema up to date").isEmpty();
                    CopiedSchemaTest.flywayOf(server, again, loader).validate();
                }
            } finally {
                again.release();
            }
        }
    }

    /** Everything a test might do to its schema's data and its sessions, short of DDL. */
    private static void dirty(IsolatedDatabase handle) throws SQLException {
        handle.update("INSERT INTO customers (email, name) VALUES ('c@example.com', 'Cid')");
        handle.update("INSERT INTO orders (customer_id, amount, note) VALUES (3, 7, 'mine')");
        handle.update("UPDATE orders SET status = 'shipped' WHERE customer_id = 1");
        handle.update("DELETE FROM orders WHERE customer_id = 2");
        handle.queryForObject("SELECT setval('invoice_numbers', 9000)", Long.class);
        handle.queryForObject("SELECT nextval('customers_id_seq')", Long.class);
        handle.update("REFRESH MATERIALIZED VIEW order_totals");
        handle.update("TRUNCATE orders"); // new files for the table: its catalog row changes, its definition does not
        if (!handle.queryForList("SELECT 1 FROM information_schema.tables WHERE table_schema = ? "
                + "AND table_name = 'flyway_schema_history'", handle.schema()).isEmpty()) {
            handle.update("UPDATE flyway_schema_history SET description = 'tampered'");
        }
        // per-session state, which dies with the session: a temp table, a prepared statement, an advisory lock, LISTEN
        try (Connection c = handle.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE scratch (x int); PREPARE p AS SELECT 1; SELECT pg_advisory_lock(42); LISTEN news");
        }
    }

    @Test
    void aLeakedConnectionOrPoolNeverWritesIntoTheNextTestsData(PostgresServer server) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = config("builtin");
        IsolatedDatabase a = server.isolate(Mode.SCHEMA, ORDERS, TestIdentity.named("LeakerA"), loader, config);
        String oid = oid(server, a.schema());
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(a.jdbcUrl());
        hikari.setUsername(a.user());
        hikari.setPassword(a.password());
        hikari.setMaximumPoolSize(2);
        hikari.setConnectionTimeout(2_000);
        hikari.setInitializationFailTimeout(-1);
        hikari.setPoolName("leaked-by-test-a");
        long recycledBefore = server.schemasRecycled();
        try (HikariDataSource leakedPool = new HikariDataSource(hikari);
             Connection leakedRaw = DriverManager.getConnection(a.jdbcUrl(), a.user(), a.password())) {
            try (Connection c = leakedPool.getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO orders (id, item) VALUES (1, 'from A before release')");
            }
            leakedRaw.setAutoCommit(false);
            try (Statement st = leakedRaw.createStatement()) {
                st.execute("INSERT INTO orders (id, item) VALUES (2, 'from A, uncommitted')");
            }
            a.release();
            await("A's schema to be reset", () -> server.schemasRecycled() - recycledBefore);
            IsolatedDatabase b = takeUntil(server, ORDERS, loader, config, oid, "LeakerB");
            try {
                assertThat(b.reused()).isTrue();
                assertThatThrownBy(() -> {
                    try (Statement st = leakedRaw.createStatement()) {
                        st.execute("INSERT INTO orders (id, item) VALUES (3, 'from A''s open connection')");
                    }
                    leakedRaw.commit();
                }).as("A's open connection was ended").isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> {
                    try (Connection c = leakedPool.getConnection(); Statement st = c.createStatement()) {
                        st.execute("INSERT INTO orders (id, item) VALUES (4, 'from A''s pool')");
                    }
                }).as("A's pool cannot log in again: the role's password changed").isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> DriverManager.getConnection(b.jdbcUrl(), a.user(), a.password()).close())
                        .as("A's credentials no longer log in").isInstanceOf(SQLException.class);
                assertThat(b.queryForList("SELECT id FROM orders")).as("B sees none of A's rows").isEmpty();
                assertThat(b.queryForList("SELECT message FROM audit_log"))
                        .containsExactly(Map.of("message", "schema created; ready"));
            } finally {
                b.release();
            }
        }
    }

    @Test
    void aSchemaItsTestChangedIsDroppedAndNeverHandedOutAgain(PostgresServer server) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = config("builtin");
        IsolatedDatabase a = server.isolate(Mode.SCHEMA, ORDERS, TestIdentity.named("AltersA"), loader, config);
        String role = a.user();
        String oid = oid(server, a.schema());
        long droppedBefore = server.schemasNotRecycled();
        a.update("ALTER TABLE orders ADD COLUMN extra TEXT");
        a.release();
        await("A's changed schema to be dropped", () -> server.schemasNotRecycled() - droppedBefore);
        try (Connection admin = ServerAdmin.admin(server)) {
            ServerAdmin.awaitEmpty("role " + role + " and its schema", BOUND, () -> ServerAdmin.names(admin,
                    "SELECT rolname FROM pg_roles WHERE rolname = '" + role + "' UNION ALL SELECT nspname FROM pg_namespace "
                    + "WHERE oid = " + oid));
        }
        List<IsolatedDatabase> taken = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                IsolatedDatabase next = server.isolate(Mode.SCHEMA, ORDERS, TestIdentity.named("AltersNext" + i), loader,
                        config);
                taken.add(next);
                assertThat(oid(server, next.schema())).isNotEqualTo(oid);
                assertThat(next.queryForList("SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
                        + "AND table_name = 'orders' ORDER BY ordinal_position", next.schema()))
                        .extracting(row -> row.get("column_name")).containsExactly("id", "item", "placed");
            }
        } finally {
            taken.forEach(IsolatedDatabase::release);
        }
    }

    private static Configuration config(String migrator) {
        return Configuration.load(ReusedSchemaTest.class.getClassLoader(), key -> Optional.ofNullable(
                Map.of("cleanroom.postgres.migrator", migrator, "cleanroom.postgres.prefetch", "2").get(key)));
    }

    /** The schema's object id: a reused schema keeps it under its new names. */
    private static String oid(PostgresServer server, String schema) throws SQLException {
        try (Connection admin = ServerAdmin.admin(server)) {
            return ServerAdmin.names(admin, "SELECT oid::text FROM pg_namespace WHERE nspname = '" + schema + "'").get(0);
        }
    }

    /** Takes schemas until the one with object id {@code oid} comes (fresh ones prefetched earlier come first); releases the others. */
    private static IsolatedDatabase takeUntil(PostgresServer server, String location, ClassLoader loader,
                                              Configuration config, String oid, String test) throws SQLException {
        List<IsolatedDatabase> others = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                IsolatedDatabase handle = server.isolate(Mode.SCHEMA, location, TestIdentity.named(test + i), loader, config);
                if (oid(server, handle.schema()).equals(oid)) {
                    return handle;
                }
                others.add(handle);
            }
            throw new AssertionError("the reset schema " + oid + " was not handed out again within 40 takes");
        } finally {
            others.forEach(IsolatedDatabase::release);
        }
    }

    private static void await(String what, LongSupplier count) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (count.getAsLong() <= 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + BOUND.toSeconds() + " s for " + what);
            }
            Thread.sleep(20);
        }
    }
}
