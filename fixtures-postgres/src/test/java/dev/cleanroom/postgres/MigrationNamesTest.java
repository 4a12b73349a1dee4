package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.postgres.internal.MigrationSet;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misnamed migration scripts are all named in one message, so one round of renaming fixes them. */
class MigrationNamesTest {

    @Test
    void everyMisnamedScriptIsNamedAtOnce(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("db/mixed"));
        Files.writeString(dir.resolve("V1__init.sql"), "CREATE TABLE a (id int);");
        Files.writeString(dir.resolve("v2_orders.sql"), "CREATE TABLE b (id int);");
        Files.writeString(dir.resolve("V3-items.sql"), "CREATE TABLE c (id int);");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> MigrationSet.load("db/mixed", loader))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("Migration location db/mixed has 2 scripts not named"
                            + " V<version>__<description>.sql")
                    .hasMessageContaining("db/mixed/V3-items.sql, db/mixed/v2_orders.sql")
                    .hasMessageContaining("Rename them");
        }
    }
}
