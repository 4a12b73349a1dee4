package dev.cleanroom.postgres;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * One test's isolated slice of the shared PostgreSQL server: its schema (or database),
 * the role that owns it, and a pool that sees nothing else. Valid until the test ends;
 * then its pool is closed, and what happens to the schema and the role depends on the mode.
 *
 * <p>Schema mode, by default ({@code cleanroom.postgres.recycle=true}): the schema and its
 * role are reset and reused, not dropped. In the background, the role is renamed and gets a
 * new password, its sessions are ended, every row is deleted, the rows the migration inserted
 * and the sequences' values are restored, and the schema's catalogs are checked against the
 * freshly migrated one; then the schema waits in the pool for a later test, which renames it
 * after itself. So the schema a test gets may be one that an earlier test used, emptied back
 * to the migrated state (same tables, the migration's own rows, sequences where the migration
 * left them), with a different role name and password than that test had. A schema whose test
 * changed its shape (DDL), or that cannot be reset, is dropped with its role instead, and a
 * new copy of the migration takes its place.
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

    /** The role that owns the schema; it has no rights on any other test's schema. */
    String user();

    /** The password of {@link #user()}; a new one for every test, also when the schema is reused. */
    String password();

    /** A HikariCP pool logged in as {@link #user()} with the search path set to {@link #schema()}; closed at teardown. */
    DataSource dataSource();

    /** Runs an insert, update, delete or DDL statement with {@code ?} parameters; returns the update count. */
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
