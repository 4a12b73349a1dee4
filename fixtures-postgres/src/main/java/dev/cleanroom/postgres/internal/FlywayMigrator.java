package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.postgres.MigrationException;
import javax.sql.DataSource;
import org.apiguardian.api.API;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Applies a migration location with Flyway; loaded only after {@link FlywaySupport#available()} said yes. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
final class FlywayMigrator {

    private FlywayMigrator() {}

    private static final Pattern LOCATION = Pattern.compile("Location\\s*:\\s*(\\S+)");
    private static final Pattern LINE = Pattern.compile("Line\\s*:\\s*(\\d+)");

    static void migrate(DataSource dataSource, MigrationSet migrations, String schema, ClassLoader classLoader,
                        String target) {
        String location = migrations.location();
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
                    + e.getMessage() + statement(migrations, String.valueOf(e.getMessage())) + "\nApplied to " + target + ", which was dropped again; fix the script and rerun.", e);
        }
    }

    /** Flyway names file and line but not the statement: look it up in the script. */
    private static String statement(MigrationSet migrations, String message) {
        Matcher location = LOCATION.matcher(message);
        Matcher line = LINE.matcher(message);
        if (!location.find() || !line.find()) {
            return "";
        }
        int failedLine = Integer.parseInt(line.group(1));
        for (MigrationSet.Script script : migrations.scripts()) {
            if (script.path().equals(location.group(1))) {
                SqlScript.Statement found = null;
                for (SqlScript.Statement statement : SqlScript.split(script.text())) {
                    if (statement.line() <= failedLine) {
                        found = statement;
                    }
                }
                if (found != null) {
                    return "\nFailed statement (" + script.fileName() + ", line " + found.line() + "):\n    "
                            + found.sql().replace("\n", "\n    ");
                }
            }
        }
        return "";
    }
}
