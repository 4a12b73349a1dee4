package dev.cleanroom.postgres;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.Engine;
import dev.cleanroom.core.Setting;
import dev.cleanroom.core.spi.ServerSettings;
import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/** The settings of fixtures-postgres. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PostgresSettings {

    private PostgresSettings() {}

    private static final ServerSettings SERVER = ServerSettings.of("postgres", "postgres:18-alpine",
            "How the shared PostgreSQL server is started: auto, testcontainers, embedded or external.",
            "Docker image of the testcontainers engine; any image is declared a substitute for 'postgres'.",
            "Keep the container for the next run (Testcontainers reuse; needs testcontainers.reuse.enable=true).");

    /** Which engine provides the shared server. */
    public static final Setting<Engine> ENGINE = SERVER.engine();

    /** The image of the testcontainers engine. */
    public static final Setting<String> IMAGE = SERVER.image();

    /** Whether the testcontainers engine reuses a container across runs. */
    public static final Setting<Boolean> REUSE = SERVER.reuse();

    /** JDBC URL of the external engine. */
    public static final Setting<String> URL = Setting.text("cleanroom.postgres.url", null,
            "JDBC URL of the server for engine=external, e.g. jdbc:postgresql://db:5432/postgres.");

    /** User of the external engine. */
    public static final Setting<String> USER = Setting.text("cleanroom.postgres.user", "postgres",
            "User for engine=external; needs CREATEROLE and CREATEDB (or superuser).");

    /** Password of the external engine. */
    public static final Setting<String> PASSWORD = Setting.text("cleanroom.postgres.password", "",
            "Password for engine=external.");

    /** Connections a test's DataSource has open at once. */
    public static final Setting<Integer> POOL_SIZE = Setting.number("cleanroom.postgres.pool-size", 4, 1, 64,
            "Maximum connections a test's DataSource has open at once.");

    /** Schemas prepared ahead per migration set, at first. */
    public static final Setting<Integer> PREFETCH = Setting.number("cleanroom.postgres.prefetch", 4, 0, 64,
            "How many migrated schemas (or databases) are prepared ahead per migration set at first when the run's "
                    + "test plan is unknown (with a plan: what its tests will take, up to 32); the number doubles (up to 32) "
                    + "whenever a test had to wait; 0: prepared on demand only.");

    /** How many schemas (or databases) are prepared at once. */
    public static final Setting<Integer> PREPARE_CONCURRENCY = Setting.number("cleanroom.postgres.prepare-concurrency", 0, 0, 64,
            "How many schemas (or databases) are prepared at once; 0 (auto): the available processors, 2 to 8, "
                    + "at most a tenth of the server's max_connections. One thread is kept for tests that wait.");

    /** Whether released schemas are reset and handed to the next test. */
    public static final Setting<Boolean> RECYCLE = Setting.flag("cleanroom.postgres.recycle", true,
            "Schema mode: reset a schema its test released (new password, its sessions ended, every row removed, the "
                    + "migration's rows and sequence values restored; for a test that may run DDL, the catalogs checked "
                    + "against the migrated template) and hand it to the next test; one the test changed (DDL) is dropped. "
                    + "false: drop every schema and copy a new one.");

    /** Whether every test's role may change its schema's shape (DDL), as if each declared {@code ddl = true}. */
    public static final Setting<Boolean> DDL = Setting.flag("cleanroom.postgres.ddl", false,
            "Schema mode: let every test's role change its schema's shape (DDL), as @IsolatedPostgres(ddl = true) does for "
                    + "one test (an application that runs Flyway itself, a test that creates tables); a reused schema's "
                    + "catalogs are then checked at every reset. false: a test's role reads and writes rows only, unless "
                    + "its @IsolatedPostgres(ddl = true) says otherwise.");

    /** Which migration runner applies the scripts. */
    public static final Setting<Migrator> MIGRATOR = Setting.oneOf("cleanroom.postgres.migrator", Migrator.class,
            Migrator.AUTO, "Who applies the scripts: auto (Flyway when on the class path), flyway or builtin.");

    /** The unprivileged OS user the embedded engine runs as when the JVM runs as root. */
    public static final Setting<String> EMBEDDED_OS_USER = Setting.text("cleanroom.postgres.embedded.os-user", "nobody",
            "OS user that runs the embedded server's initdb/postgres when the JVM runs as root (PostgreSQL refuses root).");

    /** How long a test waits for its schema. */
    public static final Setting<Duration> PREPARE_TIMEOUT = Setting.duration("cleanroom.postgres.prepare-timeout",
            Duration.ofMinutes(2), "How long a test waits for its migrated schema (or database).");

    /** How long getting a connection may take; a dead server fails a test within it. */
    public static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("cleanroom.postgres.connect-timeout",
            Duration.ofSeconds(10), "How long getting a connection may take (each test's pool, the admin pool, JDBC"
                    + " connect and login); a dead server fails the test that notices within it.");

    /** Every setting of this module. */
    public static final List<Setting<?>> ALL = List.of(ENGINE, IMAGE, REUSE, URL, USER, PASSWORD, POOL_SIZE,
            PREFETCH, PREPARE_CONCURRENCY, RECYCLE, DDL, MIGRATOR, EMBEDDED_OS_USER, PREPARE_TIMEOUT, CONNECT_TIMEOUT);

    /** Who applies migration scripts. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public enum Migrator {
        /** Flyway when it is on the class path, else the built-in runner. */
        AUTO,
        /** Flyway (flyway-core and flyway-database-postgresql must be on the class path). */
        FLYWAY,
        /** Cleanroom's own runner: the scripts' statements in version order, in one transaction, no history table. */
        BUILTIN
    }
}
