/**
 * The implementation of fixtures-postgres: the extension behind
 * {@link dev.cleanroom.postgres.IsolatedPostgres @IsolatedPostgres}, the three server engines
 * (container, embedded, external), the shared server with its admin pool and background
 * dropper, pools of migrated schemas (or databases) prepared ahead (migrated once, then copied
 * by replaying the migration), the reset that makes a released schema ready for the next test,
 * the built-in migration runner and its SQL script splitter, and the optional Flyway runner.
 * Implementation, not API; may change without notice.
 */
@API(status = INTERNAL, since = "0.1")
package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
