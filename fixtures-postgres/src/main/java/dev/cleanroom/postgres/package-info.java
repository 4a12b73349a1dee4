/**
 * PostgreSQL isolation for JUnit tests: {@link dev.cleanroom.postgres.IsolatedPostgres @IsolatedPostgres}
 * gives every test its own schema (or, in database mode, its own database), migrated from the
 * test's migration scripts and owned by a role that can touch nothing else, on one server the
 * whole suite shares (a Testcontainers container, an embedded server, or an external one; see
 * {@link dev.cleanroom.postgres.PostgresSettings}). A test reaches it through its
 * {@link dev.cleanroom.postgres.PostgresHandle} or a {@code DataSource} parameter; a failed
 * migration is a {@link dev.cleanroom.postgres.MigrationException}. In schema mode a schema
 * whose test ended is by default reset and handed to a later test (see {@code PostgresHandle}).
 */
package dev.cleanroom.postgres;
