package dev.cleanroom.postgres;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * One test's isolated slice of the shared PostgreSQL server: its schema (or database),
 * the test's role, and connections that see nothing else. Valid until the test ends; then its
 * connections are closed, and what happens to the schema and the role depends on the mode.
 *
 * <p>The test's role may read and write the schema's rows, use its sequences and call its
 * functions, but not change its shape: the schema belongs to a role of the pool. A test that
 * runs DDL (its application migrates itself, or it creates tables) declares
 * {@code @IsolatedPostgres(ddl = true)} (or sets {@code cleanroom.postgres.ddl=true}) and
 * gets a role that owns the schema; without it, a DDL statement fails with a message that
 * names that switch.
 *
 * <p>Schema mode, by default ({@code cleanroom.postgres.recycle=true}): the schema and its
 * role are reset and reused, not dropped. In the background, the schema and the role get a
 * new name and the role a new password, its sessions are ended, every row is deleted, and the
 * rows the migration inserted and the sequences' values are restored; then the schema waits
 * in the pool for a later test. So the schema a test gets may be one that an earlier test
 * used, emptied back to the migrated state (same tables, the migration's own rows, sequences
 * where the migration left them), under a different name, role and password than that test
 * had. A schema that cannot be reset (with {@code ddl = true}: whose shape the test changed)
 * is dropped with its role instead, and a new copy of the migration takes its place.
 *
 * <p>Database mode, or {@code cleanroom.postgres.recycle=false}: the schema (or database)
 * and the role are dropped in the background.
 *
 * <p>Either way, nothing the test wrote reaches another test, and the credentials of this
 * handle ({@link #user()}, {@link #password()}, {@link #properties()}) stop working soon after
 * the test: the background step renames or drops the role.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface PostgresHandle {

    /** The test's schema, e.g. {@code crmq0x1a2b3c_1f_orderstest_storesorder}; {@code public} in database mode. */
    String schema();

    /** The test's database: the shared one in schema mode, its own in database mode. */
    String database();

    /** How this test is isolated. */
    IsolatedPostgres.Mode mode();

    /** A JDBC URL that connects to the test's database and selects its schema ({@code currentSchema}). */
    String jdbcUrl();

    /**
     * The role the test logs in as; it has no rights on any other test's schema. By default it
     * may read and write its schema's rows only; with {@link IsolatedPostgres#ddl()} it owns the
     * schema (and in database mode, the database).
     */
    String user();

    /** The password of {@link #user()}; a new one for every test, also when the schema is reused. */
    String password();

    /**
     * Connections logged in as {@link #user()} with the search path set to {@link #schema()},
     * the first logged in before the test; at most {@code cleanroom.postgres.pool-size} at once
     * (one more waits, bounded, for one to be closed); closing a connection gives it back; all
     * are closed at teardown, also those the test left open.
     */
    DataSource dataSource();

    /**
     * Runs an insert, update, delete (or, where {@link IsolatedPostgres#ddl()} allows it, DDL)
     * statement with {@code ?} parameters; returns the update count.
     */
    int update(String sql, Object... args);

    /** Runs a query; each row as a map from lower-case column label to value, in column order. */
    List<Map<String, Object>> queryForList(String sql, Object... args);

    /** Runs a query that returns exactly one row with one column and converts it to {@code type}. */
    <T> T queryForObject(String sql, Class<T> type, Object... args);

    /** The names of the tables in the test's schema, sorted (without Flyway's history table). */
    List<String> tableNames();

    /**
     * Properties to wire a service or a Spring test with: {@code spring.datasource.url},
     * {@code spring.datasource.username}, {@code spring.datasource.password},
     * {@code spring.flyway.schemas}, plus {@code cleanroom.postgres.schema}.
     */
    Map<String, String> properties();
}
