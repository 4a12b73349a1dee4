package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.zaxxer.hikari.HikariDataSource;
import dev.cleanroom.postgres.IsolatedPostgres;
import org.apiguardian.api.API;

/**
 * A migrated schema (or database) prepared ahead, owned by a role of its own.
 *
 * @param mode schema or database
 * @param name the pool name of the schema (or database), which is also the role's name
 * @param password the role's password
 * @param pool the test's HikariCP pool, made ahead (no connection yet) in schema mode; null in database mode
 * @param namesItself schema mode: some function body names the schema (the migration wrote its name into it), so
 *     renaming the schema must rewrite those bodies
 * @param reused schema mode: an earlier test had it, and it was reset since ({@link SchemaRecycler})
 * @param stamp schema mode with reuse: the {@link SchemaRecycler#stamp} of its catalog rows when it was made or reset
 */
@API(status = INTERNAL, since = "0.1")
public record Prepared(IsolatedPostgres.Mode mode, String name, String password, HikariDataSource pool,
                       boolean namesItself, boolean reused, String stamp) {

    /** A schema (or database) made for its first test. */
    public Prepared(IsolatedPostgres.Mode mode, String name, String password, HikariDataSource pool, boolean namesItself) {
        this(mode, name, password, pool, namesItself, false, null);
    }
}
