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
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** With {@code ddl} the test's role owns the schema; without, it reads and writes rows only (the default). */
    @ParameterizedTest
    @CsvSource({"flyway, true", "builtin, true", "flyway, false", "builtin, false"})
    void aReusedSchemaMatchesAFreshMigrationInTheCatalogsRowsAndSequences(String migrator, boolean ddl, PostgresServer server)
            throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = config(migrator);
        try (Connection admin = ServerAdmin.admin(server)) {
            String reference = server.prefix() + "reuse_ref_" + migrator;
            String owner = reference; // the owner named after its schema, as Cleanroom names them
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
            IsolatedDatabase first = server.isolate(Mode.SCHEMA, RICH, ddl, TestIdentity.named("Dirty" + migrator), loader,
                    config);
            String oid = oid(server, first.schema());
            long recycledBefore = server.schemasRecycled();
            try {
                dirty(first, ddl);
            } finally {
                first.release();
            }
            await("the dirtied schema to be reset", () -> server.schemasRecycled() - recycledBefore);
            IsolatedDatabase again = takeUntil(server, RICH, ddl, loader, config, oid, "Clean" + migrator);
            try {
                assertThat(again.reused()).isTrue();
                assertThat(again.user()).as("a reused schema's role gets a new name").isNotEqualTo(first.user());
                assertThat(again.password()).as("and a new password").isNotEqualTo(first.password());
                // without DDL the schema's owner is named after it, and the test's role has grants on it
                assertThat(ddl ? CopiedSchemaTest.describe(admin, again.schema(), again.user())
                        : withoutTheTestRolesGrants(CopiedSchemaTest.describe(admin, again.schema(), again.schema())))
                        .as("the reused schema %s against a fresh migration", again.schema())
                        .containsExactlyElementsOf(expected);
                assertThat(again.queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(2L);
                assertThat(again.queryForObject("SELECT nextval('invoice_numbers')", Long.class)).isEqualTo(5005L);
                assertThat(again.queryForObject("SELECT qualified_count()", Long.class))
                        .as("a function body that names its schema follows it").isEqualTo(2L);
                if (migrator.equals("flyway") && ddl) { // an application that runs Flyway itself declares DDL
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

    /**
     * The catalog lines without the grants that a role reading and writing rows only has
     * ({@code <schema>_w}); an ACL that had such a grant and is then the owner's alone is the
     * default one (the grant wrote the owner's default privileges out).
     */
    private static List<String> withoutTheTestRolesGrants(List<String> lines) {
        List<String> plain = new ArrayList<>();
        for (String line : lines) {
            String without = line.replaceAll(",?<schema>_w=[a-zA-Z]+/<schema>", "");
            if (without.equals(line)) {
                plain.add(line);
            } else if (line.startsWith("function|")) { // a function's default: EXECUTE for PUBLIC and the owner
                plain.add(without.replace("{=X/<schema>,<schema>=X/<schema>}", "null")
                        .replace("{<schema>=X/<schema>,=X/<schema>}", "null"));
            } else { // a relation's or the schema's default: everything for the owner
                plain.add(without.replaceAll("\\{<schema>=[a-zA-Z]+/<schema>}", "null"));
            }
        }
        plain.sort(null);
        return plain;
    }

    /** Everything a test might do to its schema's data and its sessions, short of DDL. */
    private static void dirty(IsolatedDatabase handle, boolean ddl) throws SQLException {
        handle.update("INSERT INTO customers (email, name) VALUES ('c@example.com', 'Cid')");
        handle.update("INSERT INTO orders (customer_id, amount, note) VALUES (3, 7, 'mine')");
        handle.update("UPDATE orders SET status = 'shipped' WHERE customer_id = 1");
        handle.update("DELETE FROM orders WHERE customer_id = 2");
        handle.queryForObject("SELECT setval('invoice_numbers', 9000)", Long.class);
        handle.queryForObject("SELECT nextval('customers_id_seq')", Long.class);
        if (ddl) {
            handle.update("REFRESH MATERIALIZED VIEW order_totals");
        } else {
            assertThatThrownBy(() -> handle.update("REFRESH MATERIALIZED VIEW order_totals"))
                    .hasMessageContaining("order_totals").hasMessageContaining("@IsolatedPostgres(ddl = true)");
        }
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

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aLeakedConnectionOrPoolNeverWritesIntoTheNextTestsData(boolean ddl, PostgresServer server) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = config("builtin");
        IsolatedDatabase a = server.isolate(Mode.SCHEMA, ORDERS, ddl, TestIdentity.named("LeakerA"), loader, config);
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
            IsolatedDatabase b = takeUntil(server, ORDERS, ddl, loader, config, oid, "LeakerB");
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

    @Test
    void aSchemaWhoseRoleOwnsSomethingElsewhereIsDroppedWithIt(PostgresServer server) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = config("builtin");
        IsolatedDatabase a = server.isolate(Mode.SCHEMA, ORDERS, false, TestIdentity.named("OwnsA"), loader, config);
        String oid = oid(server, a.schema());
        long droppedBefore = server.schemasNotRecycled();
        // a large object belongs to the role, not to the schema: the reset's rows would not undo it
        long object = a.queryForObject("SELECT lo_create(0)::bigint", Long.class);
        a.release();
        await("A's schema to be dropped", () -> server.schemasNotRecycled() - droppedBefore);
        try (Connection admin = ServerAdmin.admin(server)) {
            ServerAdmin.awaitEmpty("A's schema and large object", BOUND, () -> ServerAdmin.names(admin,
                    "SELECT oid::text FROM pg_largeobject_metadata WHERE oid = " + object + " UNION ALL SELECT nspname "
                    + "FROM pg_namespace WHERE oid = " + oid));
        }
    }

    /**
     * Handing a prepared schema out runs no statement: the schema and its roles keep the
     * catalog rows (name, row version) they had before the take. A reset reads no catalog
     * where the test could not run DDL, and checks them (stamp, fingerprint) where it could.
     */
    @Test
    void aHandOutChangesNoCatalogRowAndAResetWithoutDdlScansNone(PostgresServer server) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = config("builtin");
        for (boolean ddl : new boolean[] {false, true}) {
            long scansBefore = server.catalogScans(ddl);
            long recycledBefore = server.schemasRecycled();
            IsolatedDatabase handle = takeFromStock(server, ddl, loader, config);
            try {
                handle.update("INSERT INTO orders (id, item) VALUES (1, 'counted')");
            } finally {
                handle.release();
            }
            await("the schema to be reset", () -> server.schemasRecycled() - recycledBefore);
            server.awaitDrops(BOUND);
            if (ddl) {
                assertThat(server.catalogScans(true) - scansBefore).as("resets (and preparations) with DDL check catalogs")
                        .isPositive();
            } else {
                assertThat(server.catalogScans(false)).as("catalog scans of schemas whose tests cannot run DDL").isZero();
            }
        }
    }

    /**
     * A test's first connection was logged in before its test (off its thread), its
     * DataSource builds no HikariCP pool, gives connections repeatedly and concurrently, and
     * closes them all, also one the test left open, when the test ends.
     */
    @Test
    void aTestsFirstConnectionWasLoggedInAheadAndNoPoolIsBuiltPerTest(PostgresServer server) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = config("builtin");
        for (boolean ddl : new boolean[] {false, true}) {
            IsolatedDatabase handle = takeFromStock(server, ddl, loader, config);
            DataSource ds = handle.dataSource();
            Connection leaked;
            try {
                long onDemand = server.loginsOnDemand();
                handle.update("INSERT INTO orders (id, item) VALUES (1, 'a')");
                assertThat(handle.queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(1);
                try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("INSERT INTO orders (id, item) VALUES (2, 'rolled back when closed')");
                }
                assertThat(handle.queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(1);
                assertThat(server.loginsOnDemand() - onDemand).as("logins on demand, one connection at a time").isZero();
                try (Connection one = ds.getConnection(); Connection two = ds.getConnection()) {
                    assertThat(pid(one)).isNotEqualTo(pid(two));
                }
                assertThat(server.loginsOnDemand() - onDemand).as("a second connection at once logs in when asked")
                        .isEqualTo(1);
                assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                        .noneMatch(name -> name.startsWith("HikariPool") || name.contains(handle.user()));
                leaked = ds.getConnection();
            } finally {
                handle.release();
            }
            assertThat(server.awaitDrops(BOUND)).isEmpty();
            assertThat(leaked.isValid(1)).as("a connection the test left open is closed at its end").isFalse();
            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("valid only during");
        }
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * A schema whose catalog rows (and its roles') are as they were before it was taken; a
     * take whose schema's rows changed meanwhile (written by the take, or by the preparation
     * or reset it waited for) is released and another taken, 20 at most.
     */
    private static IsolatedDatabase takeFromStock(PostgresServer server, boolean ddl, ClassLoader loader,
                                                  Configuration config) throws SQLException {
        String rows = "SELECT nspname || ':' || xmin FROM pg_namespace WHERE nspname LIKE '" + server.prefix() + "%' "
                + "UNION ALL SELECT rolname || ':' || xmin FROM pg_authid WHERE rolname LIKE '" + server.prefix() + "%'";
        try (Connection admin = ServerAdmin.admin(server)) {
            for (int i = 0; i < 20; i++) {
                List<String> before = ServerAdmin.names(admin, rows);
                IsolatedDatabase handle = server.isolate(Mode.SCHEMA, ORDERS, ddl, TestIdentity.named("Stock" + i), loader,
                        config);
                List<String> after = ServerAdmin.names(admin, rows);
                List<String> own = after.stream().filter(row -> row.startsWith(handle.schema() + ":")
                        || row.startsWith(handle.user() + ":")).toList();
                assertThat(own).as("the catalog rows of schema %s and role %s", handle.schema(), handle.user())
                        .hasSize(handle.user().equals(handle.schema()) ? 2 : 3);
                if (!before.containsAll(own)) {
                    // written during the take: by the take, or by a preparation or reset the take waited for
                    handle.release();
                    continue;
                }
                return handle;
            }
        }
        throw new AssertionError("every one of 20 takes wrote the catalog rows of the schema it handed out, or had to "
                + "wait for one being prepared");
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
    private static IsolatedDatabase takeUntil(PostgresServer server, String location, boolean ddl, ClassLoader loader,
                                              Configuration config, String oid, String test) throws SQLException {
        List<IsolatedDatabase> others = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                IsolatedDatabase handle = server.isolate(Mode.SCHEMA, location, ddl, TestIdentity.named(test + i), loader,
                        config);
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
