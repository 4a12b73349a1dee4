package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.MigrationException;
import dev.cleanroom.postgres.PostgresSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * Migrated schemas (or databases) of one migration set, prepared ahead on background
 * threads (as zonky's PreparedDbProvider and IntegreSQL do), so a test only takes one and
 * renames it. Keeps {@code prefetch} ready plus one per waiting test. A migration failure
 * is deterministic, so it poisons the pool: every later test gets the same error at once.
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
final class IsolationPool {

    private final PostgresServer server;
    private final Mode mode;
    private final MigrationSet migrations;
    private final ClassLoader classLoader;
    private final int prefetch;
    private final int poolSize;
    private final boolean flyway;
    private final LinkedBlockingQueue<Object> ready = new LinkedBlockingQueue<>(); // Prepared or the failure
    private int inFlight; // guarded by this
    private int waiting; // guarded by this
    private volatile RuntimeException failure;
    private volatile String template; // database mode: the migrated template, once made
    private String templateRole;

    IsolationPool(PostgresServer server, Mode mode, MigrationSet migrations, ClassLoader classLoader, int prefetch,
                  PostgresSettings.Migrator migrator, int poolSize) {
        this.poolSize = poolSize;
        this.server = server;
        this.mode = mode;
        this.migrations = migrations;
        this.classLoader = classLoader;
        this.prefetch = prefetch;
        if (migrator == PostgresSettings.Migrator.FLYWAY && !FlywayMigrator.available()) {
            throw new dev.cleanroom.core.ConfigurationException(PostgresSettings.MIGRATOR.key() + "=flyway, but Flyway is "
                    + "not on the test class path. Add org.flywaydb:flyway-core and org.flywaydb:flyway-database-postgresql, "
                    + "or set " + PostgresSettings.MIGRATOR.key() + "=builtin.");
        }
        this.flyway = !migrations.isEmpty() && migrator != PostgresSettings.Migrator.BUILTIN && FlywayMigrator.available();
        refill();
    }

    /** Takes a prepared schema, waiting at most {@code timeout}. */
    Prepared take(Duration timeout, String forTest) {
        RuntimeException failed = failure;
        if (failed != null) {
            throw rethrow(failed);
        }
        Object item = ready.poll();
        if (item == null) {
            synchronized (this) {
                waiting++;
            }
            try {
                refill();
                item = ready.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a migrated " + what() + " for " + forTest, e);
            } finally {
                synchronized (this) {
                    waiting--;
                }
            }
            if (item == null) {
                int inProgress;
                synchronized (this) {
                    inProgress = inFlight;
                }
                throw new IllegalStateException("Waited " + timeout.toSeconds() + " s (" + PostgresSettings.PREPARE_TIMEOUT.key()
                        + ") for a migrated " + what() + " for " + forTest + " from " + describeSet() + ", but none became "
                        + "ready; " + inProgress + " still being prepared on " + server.describe() + ".");
            }
        }
        if (item instanceof RuntimeException e) {
            ready.offer(e); // for the next waiter
            throw rethrow(e);
        }
        return (Prepared) item;
    }

    private static RuntimeException rethrow(RuntimeException e) {
        if (e instanceof MigrationException m) {
            return new MigrationException(m.getMessage(), m);
        }
        return new IllegalStateException(e.getMessage(), e);
    }

    /** Starts preparing until {@code prefetch} are ready or in preparation, plus one per waiting test. */
    void refill() {
        int toStart;
        synchronized (this) {
            toStart = Math.max(0, Math.max(prefetch, 0) + waiting - (countReady() + inFlight));
            inFlight += toStart;
        }
        for (int i = 0; i < toStart; i++) {
            try {
                server.preparers().execute(this::prepareOne);
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    inFlight--;
                }
            }
        }
    }

    private int countReady() {
        return (int) ready.stream().filter(Prepared.class::isInstance).count();
    }

    private void prepareOne() {
        try {
            if (failure == null) {
                ready.offer(mode == Mode.SCHEMA ? prepareSchema() : prepareDatabase());
            }
        } catch (RuntimeException e) {
            failure = e;
            ready.offer(e);
        } catch (Exception e) {
            RuntimeException wrapped = new IllegalStateException("Preparing a " + what() + " from " + describeSet()
                    + " on " + server.describe() + " failed: " + e, e);
            failure = wrapped;
            ready.offer(wrapped);
        } finally {
            synchronized (this) {
                inFlight--;
            }
        }
    }

    private Prepared prepareSchema() throws Exception {
        String name = server.newPoolName("p");
        String password = PostgresServer.newPassword();
        try {
            try (Connection c = server.adminConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + Sql.id(name) + " LOGIN PASSWORD " + Sql.literal(password) + "; CREATE SCHEMA "
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
            // the pool is made here, off the test thread (HikariCP's start costs 1-2 ms); it opens no
            // connection until the test asks, and its connections get the search path from the role,
            // which the hand-out points at the renamed schema
            return new Prepared(Mode.SCHEMA, name, password, server.newPool(server.endpoint().jdbcUrl(), name, password,
                    poolSize));
        } catch (Exception | Error e) {
            try {
                server.dropNow(Mode.SCHEMA, name, name);
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private Prepared prepareDatabase() throws Exception {
        String tmpl = template();
        String name = server.newPoolName("p");
        String password = PostgresServer.newPassword();
        try {
            try (Connection c = server.adminConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + Sql.id(name) + " LOGIN PASSWORD " + Sql.literal(password));
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
            return new Prepared(Mode.DATABASE, name, password, null);
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
                st.execute("CREATE ROLE " + Sql.id(name) + " LOGIN PASSWORD " + Sql.literal(password));
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

    /** Drops the stock on the dropper (server close). */
    void dropStock() {
        for (Object item; (item = ready.poll()) != null; ) {
            if (item instanceof Prepared p) {
                server.drop(p.mode(), p.name(), p.name(), p.pool());
            }
        }
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
