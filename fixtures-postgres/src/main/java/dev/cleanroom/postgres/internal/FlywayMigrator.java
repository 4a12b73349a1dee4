package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.postgres.MigrationException;
import javax.sql.DataSource;
import org.apiguardian.api.API;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Applies a migration location with Flyway; loaded only when Flyway is on the class path. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
final class FlywayMigrator {

    private FlywayMigrator() {}

    static boolean available() {
        try {
            Class.forName("org.flywaydb.core.Flyway", false, FlywayMigrator.class.getClassLoader());
            Class.forName("org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension", false,
                    FlywayMigrator.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static void migrate(DataSource dataSource, String location, String schema, ClassLoader classLoader, String target) {
        try {
            Flyway.configure(classLoader)
                    .dataSource(dataSource)
                    .locations("classpath:" + location)
                    .schemas(schema)
                    .defaultSchema(schema)
                    .createSchemas(false)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new MigrationException("Flyway migration from class-path location " + location + " failed: "
                    + e.getMessage() + "\nApplied to " + target + ", which was dropped again; fix the script and rerun.", e);
        }
    }
}
