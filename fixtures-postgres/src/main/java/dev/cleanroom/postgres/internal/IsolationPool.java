package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.spi.PrefetchPool;
import dev.cleanroom.core.spi.PrefetchWorkers;
import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.MigrationException;
import dev.cleanroom.postgres.PostgresSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * Migrated schemas (or databases) of one migration set, prepared ahead on the server's
 * {@link PrefetchWorkers} by a {@link PrefetchPool}, so a test only takes one as it is (no
 * statement on its thread), with one connection of its role logged in ({@link RoleConnections}).
 *
 * <p>Migrate once, then copy: the first schema is migrated by Flyway or the built-in runner;
 * every further one is made by replaying what that migration did ({@link MigrationReplay})
 * in one round trip. Database mode migrates one template database and clones it with
 * {@code CREATE DATABASE ... TEMPLATE}. A migration failure is deterministic: every later
 * test gets the same error at once.
 *
 * <p>Reuse (schema mode, {@code cleanroom.postgres.recycle}): a schema its test released is
 * fenced, reset (and, where its test could run DDL, checked) by a {@link SchemaRecycler}
 * captured from the first migrated schema, and given back to the prefetch pool, so that most tests get a reset schema
 * (milliseconds of server time) rather than a new copy. Databases are not reused.
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
final class IsolationPool {

    /** The most schemas kept ahead per migration set when tests keep having to wait. */
    static final int MAX_DEPTH = 32;

    private final PostgresServer server;
    private final Mode mode;
    private final MigrationSet migrations;
    private final ClassLoader classLoader;
    private final int poolSize;
    private final boolean flyway;
    private final PrefetchPool<Prepared> pool;
    private final Object firstMigration = new Object();
    private final AtomicLong copies = new AtomicLong();
    private static final System.Logger LOG = System.getLogger(IsolationPool.class.getName());
    private final AtomicLong recycled = new AtomicLong();
    private final AtomicLong notRecycled = new AtomicLong();
    private final AtomicLong catalogScans = new AtomicLong(); // the recycler's stamps and fingerprints of this pool's schemas
    private final boolean recycle;
    private final boolean ddl; // the tests' roles may change the schema's shape: they own it (always in database mode)
    private volatile Optional<SchemaRecycler> recycler = Optional.empty(); // schema mode, after the first migration
    private volatile Optional<MigrationReplay> replay; // schema mode: null until the first migration; empty: migrate each
    private volatile boolean namesItself; // schema mode: a function body of the first migrated schema names the schema
    private volatile String template; // database mode: the migrated template, once made
    private String templateRole;

    IsolationPool(PostgresServer server, Mode mode, MigrationSet migrations, ClassLoader classLoader, int prefetch,
                  PostgresSettings.Migrator migrator, int poolSize, boolean recycle, boolean ddl) {
        this.poolSize = poolSize;
        this.ddl = ddl || mode == Mode.DATABASE;
        this.recycle = recycle && mode == Mode.SCHEMA;
        this.server = server;
        this.mode = mode;
        this.migrations = migrations;
        this.classLoader = classLoader;
        if (migrator == PostgresSettings.Migrator.FLYWAY && !FlywaySupport.available()) {
            throw new dev.cleanroom.core.ConfigurationException(PostgresSettings.MIGRATOR.key() + "=flyway, but Flyway is "
                    + "not on the test class path. Add " + FlywaySupport.ARTIFACTS + " (test scope), "
                    + "or set " + PostgresSettings.MIGRATOR.key() + "=builtin.");
        }
        this.flyway = !migrations.isEmpty() && migrator != PostgresSettings.Migrator.BUILTIN && FlywaySupport.available();
        this.pool = PrefetchPool.<Prepared>builder("migrated " + what() + " from " + describeSet(), server.preparers(),
                        count -> {
                            long start = System.nanoTime();
                            Prepared made = mode == Mode.SCHEMA ? prepareSchema() : prepareDatabase();
                            server.statistics().prepared(what() + "s", Duration.ofNanos(System.nanoTime() - start));
                            return List.of(made);
                        })
                .depth(prefetch)
                .maxDepth(Math.max(prefetch, MAX_DEPTH))
                .discard(p -> server.drop(p.mode(), p.name(), p.name(), p.pool()))
                .deterministic(t -> t instanceof MigrationException || t instanceof ConfigurationException)
                .failureForTaker(this::failureFor)
                .timeoutSetting(PostgresSettings.PREPARE_TIMEOUT.key())
                .build();
    }

    /** {@code takes} more takes are coming (announced by a run's test plan). */
    void expectDemand(long takes) {
        pool.expectDemand(takes);
    }

    /** Takes a prepared schema, waiting at most {@code timeout}. */
    Prepared take(Duration timeout, String forTest) {
        try {
            return pool.take(timeout, forTest);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a migrated " + what() + " for " + forTest, e);
        }
    }

    /** The exception a test gets for a failed preparation: its own instance, the cause attached. */
    private RuntimeException failureFor(Throwable failure, String forTest) {
        if (failure instanceof MigrationException m) {
            return new MigrationException(m.getMessage(), m);
        }
        if (failure instanceof ConfigurationException c) {
            return new ConfigurationException(c.getMessage(), c);
        }
        return new IllegalStateException("Preparing a " + what() + " from " + describeSet() + " on " + server.describe()
                + " for " + forTest + " failed: " + failure, failure);
    }

    private Prepared prepareSchema() throws Exception {
        String name = server.newPoolName("p");
        String password = PostgresServer.newPassword();
        try {
            Optional<MigrationReplay> r = replay;
            if (r == null) {
                synchronized (firstMigration) { // the others wait for the first migration, then copy it
                    r = replay;
                    if (r == null) {
                        migrate(name, password);
                        try (Connection c = server.adminConnection()) {
                            namesItself = MigrationReplay.namesItself(c, name);
                            replay = MigrationReplay.capture(c, migrations, name, flyway);
                            recycler = captureRecycler(c, name);
                        }
                        return handOut(name, password);
                    }
                }
            }
            if (r.isPresent()) {
                copy(r.get(), name, password);
            } else {
                migrate(name, password);
            }
            return handOut(name, password);
        } catch (Exception | Error e) {
            try {
                server.dropNow(Mode.SCHEMA, name, name);
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** What resets a released schema, from the first migrated schema before any test had it; empty: none is reused. */
    private Optional<SchemaRecycler> captureRecycler(Connection admin, String template) {
        if (!recycle) {
            return Optional.empty();
        }
        try {
            Optional<SchemaRecycler> captured = SchemaRecycler.capture(admin, template, server.serverVersion(), ddl,
                    catalogScans);
            if (captured.isEmpty()) {
                System.err.println("[cleanroom] schemas of " + describeSet() + " have triggers and the admin user of "
                        + server.describe() + " is no superuser (needed to reset them without firing them): every test "
                        + "gets a new schema");
            }
            return captured;
        } catch (SQLException e) {
            System.err.println("[cleanroom] schemas of " + describeSet() + " are not reused (" + e.getMessage()
                    + "): every test gets a new schema");
            return Optional.empty();
        }
    }

    /** Whether a schema of this pool that a test released is reset and handed out again. */
    boolean recycles() {
        return recycler.isPresent();
    }

    /** A released schema is on its way back (see {@link #recycle}). */
    void returning() {
        pool.returning();
    }

    /** A released schema announced by {@link #returning} does not come back. */
    void returnFailed() {
        pool.returnFailed();
    }

    /**
     * Fences, checks and resets a schema (now named {@code current}) of role {@code role}
     * that a test released, under a new name for both, and gives it back to the pool; on the
     * dropper thread. If the test changed it, a session of it survived, or the pool is
     * closed, drops it instead.
     */
    void recycleOrDrop(String current, String role, boolean namesItself, String stamp) throws SQLException {
        String fresh = server.newPoolName("p");
        String password = PostgresServer.newPassword();
        Optional<String> reset;
        try (Connection c = server.adminConnection()) {
            reset = recycler.orElseThrow().recycle(c, current, role, fresh, namesItself, password, stamp);
        } catch (SQLException | RuntimeException e) {
            LOG.log(server.isGone() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, () -> "[cleanroom] resetting schema " + current + " (role " + role
                    + ") for the next test failed; dropped instead: " + e);
            reset = Optional.empty();
        }
        String user = ddl ? fresh : userOf(fresh);
        Prepared back = reset.isPresent() ? new Prepared(Mode.SCHEMA, fresh, user, password,
                server.connections(server.endpoint().jdbcUrl(), user, password, poolSize, true), namesItself, true,
                reset.get())
                : null;
        if (back != null && pool.giveBack(back)) {
            recycled.incrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, () -> "[cleanroom] schema " + current + " (role " + role + ") reset for "
                    + "the next test as " + fresh);
            return;
        }
        if (back != null) {
            back.pool().close();
        } else {
            pool.returnFailed();
            notRecycled.incrementAndGet();
        }
        server.dropNow(Mode.SCHEMA, current, role); // the names before the reset
        server.dropNow(Mode.SCHEMA, fresh, fresh); // and after
    }

    /** How many released schemas were reset and given back, and how many were dropped instead (changed by their test). */
    long recycled() {
        return recycled.get();
    }

    long notRecycled() {
        return notRecycled.get();
    }

    /** How often a schema of this pool had its catalogs scanned (a stamp or a fingerprint): never without DDL. */
    long catalogScans() {
        return catalogScans.get();
    }

    /** A role and schema, migrated by Flyway or the built-in runner. */
    private void migrate(String name, String password) throws Exception {
        try (Connection c = server.adminConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + Sql.id(name) + " LOGIN " + RolePassword.clause(password) + "; CREATE SCHEMA "
                    + Sql.id(name) + " AUTHORIZATION " + Sql.id(name) + "; ALTER ROLE " + Sql.id(name)
                    + " SET search_path TO " + Sql.id(name));
            server.statistics().created("schemas", 1);
            if (!migrations.isEmpty() && !flyway) {
                migrations.applyBuiltin(c, "schema " + name,
                        "SET LOCAL ROLE " + Sql.id(name) + "; SET LOCAL search_path TO " + Sql.id(name));
            }
        }
        if (flyway) {
            FlywayMigrator.migrate(server.roleDataSource(server.endpoint().database(), name, name, password),
                    migrations, name, classLoader, "schema " + name);
        }
    }

    /**
     * Role, schema and the replay of the first migration, in one round trip. Should a copy
     * fail where the migration worked (a statement that cannot run in one transaction), this
     * pool migrates every further schema instead, and says so once.
     */
    private void copy(MigrationReplay r, String name, String password) throws Exception {
        try (Connection c = server.adminConnection(); Statement st = c.createStatement()) {
            try {
                st.execute(r.intoNewSchema(name, password));
            } catch (SQLException e) {
                try {
                    st.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                    throw e; // the connection broke: this one fails, the next tries again
                }
                String state = String.valueOf(e.getSQLState());
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")) {
                    throw e; // the connection or the server, not the replay: this one fails, the next tries again
                }
                replay = Optional.empty();
                System.err.println("[cleanroom] copying the first migrated schema of " + describeSet() + " failed ("
                        + e.getMessage() + "); every further schema of it is migrated instead");
                migrate(name, password);
                return;
            }
            server.statistics().created("schemas", 1);
            copies.incrementAndGet();
        }
    }

    /** How many schemas were made by copying the first migration. */
    long copies() {
        return copies.get();
    }

    /**
     * The test's connections are made here, off the test thread, one of them logged in
     * ({@link RoleConnections#ahead}); they get the search path from the role. Where the test may not run DDL, its role is made here too ({@link #rowsOnly}).
     */
    private Prepared handOut(String name, String ownerPassword) throws SQLException {
        String stamp = null;
        String user = name;
        String password = ownerPassword;
        if (!ddl) {
            user = userOf(name);
            password = PostgresServer.newPassword();
            try (Connection c = server.adminConnection(); Statement st = c.createStatement()) {
                st.execute(rowsOnly(name, password));
            }
        } else if (recycler.isPresent()) {
            try (Connection c = server.adminConnection()) {
                stamp = SchemaRecycler.stamp(c, name, catalogScans);
            }
        }
        return new Prepared(Mode.SCHEMA, name, user, password, server.connections(server.endpoint().jdbcUrl(), user,
                password, poolSize, true), namesItself, false, stamp);
    }

    /** Whether the tests' roles own their schemas and may change their shape (DDL). */
    boolean ddl() {
        return ddl;
    }

    /**
     * The role a test logs in as where it may not run DDL: {@code <schema>_w}. The schema's
     * owner ({@code <schema>}) is then a role nobody logs in as.
     */
    static String userOf(String owner) {
        return owner + "_w";
    }

    /**
     * One transaction: the owner of {@code schema} (migrated as it) can no longer log in, and
     * the test's role {@link #userOf} gets {@code password}, the schema as its search path and
     * the right to read and write the rows of every table and sequence in the schema and to
     * call its functions (also those whose migration revoked that from {@code PUBLIC}), and no
     * more (no {@code CREATE} on the schema, no ownership): a statement that would change the
     * schema's shape fails with {@code permission denied} or {@code must be owner}, so a reset
     * needs no catalog check.
     */
    static String rowsOnly(String schema, String password) {
        String s = Sql.id(schema);
        String u = Sql.id(userOf(schema));
        return "BEGIN; ALTER ROLE " + s + " NOLOGIN; CREATE ROLE " + u + " LOGIN " + RolePassword.clause(password)
                + "; ALTER ROLE " + u + " SET search_path TO " + s + "; SET LOCAL ROLE " + s + "; GRANT USAGE ON SCHEMA " + s
                + " TO " + u + "; GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA " + s + " TO " + u
                + "; GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + s + " TO " + u
                + "; GRANT EXECUTE ON ALL ROUTINES IN SCHEMA " + s + " TO " + u + "; COMMIT";
    }

    private Prepared prepareDatabase() throws Exception {
        String tmpl = template();
        String name = server.newPoolName("p");
        String password = PostgresServer.newPassword();
        try {
            try (Connection c = server.adminConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + Sql.id(name) + " LOGIN " + RolePassword.clause(password));
                // CREATE DATABASE ... TEMPLATE needs the template to have no other session: one clone at a
                // time per template in this JVM, and an advisory lock for anyone else who clones it.
                synchronized (server.templateLock(tmpl)) {
                    st.execute("SELECT pg_advisory_lock(hashtext(" + Sql.literal(tmpl) + "))");
                    try {
                        st.execute("CREATE DATABASE " + Sql.id(name) + " TEMPLATE " + Sql.id(tmpl) + " OWNER " + Sql.id(name));
                    } finally {
                        st.execute("SELECT pg_advisory_unlock(hashtext(" + Sql.literal(tmpl) + "))");
                    }
                }
                server.statistics().created("databases", 1);
                st.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + Sql.id(name) + " FROM PUBLIC");
            }
            try (Connection c = server.adminConnection(name); Statement st = c.createStatement()) {
                // the migrated objects now belong to the test's role; the template role keeps nothing here
                st.execute("REASSIGN OWNED BY " + Sql.id(templateRole) + " TO " + Sql.id(name) + "; REVOKE ALL ON SCHEMA public FROM "
                        + Sql.id(templateRole));
            }
            return new Prepared(Mode.DATABASE, name, name, password, server.connections(
                    server.endpoint().jdbcUrl(name, "public"), name, password, poolSize, true), false, false, null);
        } catch (Exception | Error e) {
            try {
                server.dropNow(Mode.DATABASE, name, name);
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The migrated template database, made once (by the first preparer that needs it). */
    private synchronized String template() throws Exception {
        if (template != null) {
            return template;
        }
        String name = server.newPoolName("t");
        String password = PostgresServer.newPassword();
        templateRole = name;
        try {
            try (Connection c = server.adminConnection(); Statement st = c.createStatement()) {
                // the admin owns the template database: REASSIGN OWNED in a clone would otherwise hand
                // the template itself (a shared object) to that clone's role
                st.execute("CREATE ROLE " + Sql.id(name) + " LOGIN " + RolePassword.clause(password));
                st.execute("CREATE DATABASE " + Sql.id(name));
                st.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + Sql.id(name) + " FROM PUBLIC; GRANT CONNECT ON DATABASE "
                        + Sql.id(name) + " TO " + Sql.id(name));
            }
            try (Connection c = server.adminConnection(name); Statement st = c.createStatement()) {
                st.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + Sql.id(name));
            }
            if (!migrations.isEmpty()) {
                if (flyway) {
                    FlywayMigrator.migrate(server.roleDataSource(name, "public", name, password), migrations,
                            "public", classLoader, "template database " + name);
                } else {
                    try (Connection c = server.adminConnection(name)) {
                        migrations.applyBuiltin(c, "template database " + name, "SET LOCAL ROLE " + Sql.id(name));
                    }
                }
            }
            template = name;
            return name;
        } catch (Exception | Error e) {
            try {
                dropTemplateNow(name);
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Stops preparing and drops the stock on the dropper (server close); false if a preparation did not stop in time. */
    boolean close(Duration timeout) throws InterruptedException {
        return pool.close(timeout);
    }

    /** The pool's counts, for tests and summaries. */
    PrefetchPool.Stats stats() {
        return pool.stats();
    }

    void dropTemplate() throws SQLException {
        String t = template;
        if (t != null) {
            dropTemplateNow(t);
            template = null;
        }
    }

    private void dropTemplateNow(String name) throws SQLException {
        try (Connection c = server.adminConnection(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + Sql.id(name) + (server.serverVersion() >= 13 ? " WITH (FORCE)" : ""));
            PostgresServer.dropRole(st, name);
        }
    }

    private String what() {
        return mode == Mode.SCHEMA ? "schema" : "database";
    }

    private String describeSet() {
        return migrations.isEmpty() ? "no migrations" : "class-path location " + migrations.location()
                + (flyway ? " (Flyway)" : " (built-in runner)");
    }
}
