package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.postgres.IsolatedPostgres;
import org.apiguardian.api.API;

/**
 * A migrated schema (or database) prepared ahead, owned by a role of its own.
 *
 * @param mode schema or database
 * @param name the pool name of the schema (or database), which is also the name of the role that owns it
 * @param user the role the test logs in as: the owner ({@code name}) where the test may run DDL, else a role
 *     that may only read and write the schema's rows ({@link IsolationPool#userOf})
 * @param password the password of {@code user}
 * @param pool the test's connections, made ahead with one logged in ({@link RoleConnections#ahead})
 * @param namesItself schema mode: some function body names the schema (the migration wrote its name into it), so
 *     renaming the schema must rewrite those bodies
 * @param reused schema mode: an earlier test had it, and it was reset since ({@link SchemaRecycler})
 * @param stamp schema mode with reuse where the test may run DDL: the {@link SchemaRecycler#stamp} of its catalog
 *     rows when it was made or reset; else null
 */
@API(status = INTERNAL, since = "0.1")
public record Prepared(IsolatedPostgres.Mode mode, String name, String user, String password, RoleConnections pool,
                       boolean namesItself, boolean reused, String stamp) {}
