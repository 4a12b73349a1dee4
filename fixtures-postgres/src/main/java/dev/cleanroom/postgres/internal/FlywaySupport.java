package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Whether Flyway is on the class path. Apart from {@link FlywayMigrator} on purpose: that
 * class names Flyway's types (a catch clause is enough), so the JVM cannot even load it
 * without Flyway; this one names none, and {@code FlywayMigrator} is touched only after
 * it said yes. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
final class FlywaySupport {

    /** What to add, in Maven coordinates (the versions come from the Cleanroom BOM's parent or your own). */
    static final String ARTIFACTS = "org.flywaydb:flyway-core and org.flywaydb:flyway-database-postgresql";

    private FlywaySupport() {}

    static boolean available() {
        ClassLoader loader = FlywaySupport.class.getClassLoader();
        try {
            Class.forName("org.flywaydb.core.Flyway", false, loader);
            Class.forName("org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
