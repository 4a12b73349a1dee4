package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.postgres.IsolatedPostgres;
import org.apiguardian.api.API;

/**
 * A migrated schema (or database) prepared ahead, owned by a role of its own.
 *
 * @param mode schema or database
 * @param name the pool name of the schema (or database), which is also the role's name
 * @param password the role's password
 */
@API(status = INTERNAL, since = "0.1")
public record Prepared(IsolatedPostgres.Mode mode, String name, String password) {}
