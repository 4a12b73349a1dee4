package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.postgres.internal.EmbeddedEngine;
import dev.cleanroom.testkit.EngineKit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Bad configuration fails the run with a message naming the key and the fix, before any
 * server starts. This class holds no server, so each nested run reads its own settings
 * (the module's surefire runs every test class in a JVM of its own).
 */
class ConfigurationTest {

    @Test
    void externalEngineWithoutUrlSaysWhichKeyToSet() {
        assertThat(failureOf(Map.of("cleanroom.postgres.engine", "external")))
                .contains("cleanroom.postgres.url is required because cleanroom.postgres.engine=external")
                .contains("-Dcleanroom.postgres.url=")
                .contains("CLEANROOM_POSTGRES_URL=");
    }

    @Test
    void theEmbeddedEngineOutsideLinuxSaysWhichEnginesWorkThere() {
        assertThat(EmbeddedEngine.unsupportedPlatform("Linux", "amd64")).isNull();
        assertThat(EmbeddedEngine.unsupportedPlatform("Linux", "aarch64")).isNull();
        for (String os : new String[] {"Mac OS X", "Windows 11"}) {
            assertThat(EmbeddedEngine.unsupportedPlatform(os, "aarch64"))
                    .startsWith("The embedded PostgreSQL engine runs on Linux only")
                    .contains("but this is " + os + " (aarch64)")
                    .contains("cleanroom.postgres.engine=testcontainers")
                    .contains("cleanroom.postgres.engine=external");
        }
    }

    @Test
    void externalEngineWithAMalformedUrl() {
        assertThat(failureOf(Map.of("cleanroom.postgres.engine", "external", "cleanroom.postgres.url", "mysql://db/x")))
                .contains("Bad value for cleanroom.postgres.url: 'mysql://db/x'")
                .contains("jdbc:postgresql://localhost:5432/postgres");
    }

    @Test
    void aMisspeltKeyIsReportedWithTheClosestKnownOne() {
        // JUnit configuration parameters cannot be listed, so misspellings are caught in system
        // properties, environment and cleanroom.properties
        System.setProperty("cleanroom.postgres.prefech", "2");
        try {
            assertThat(failureOf(Map.of()))
                    .contains("Unknown setting cleanroom.postgres.prefech")
                    .contains("Did you mean cleanroom.postgres.prefetch?");
        } finally {
            System.clearProperty("cleanroom.postgres.prefech");
        }
    }

    @Test
    void aBadValueNamesTheAllowedOnes() {
        assertThat(failureOf(Map.of("cleanroom.postgres.migrator", "liquibase")))
                .contains("Bad value for cleanroom.postgres.migrator: 'liquibase'")
                .contains("Allowed: auto, flyway, builtin");
        assertThat(failureOf(Map.of("cleanroom.postgres.engine", "docker")))
                .contains("Allowed: auto, testcontainers, embedded, external");
    }

    private static String failureOf(Map<String, String> settings) {
        EngineExecutionResults results = EngineKit.run(Fixture.class, settings);
        assertThat(results.testEvents().succeeded().count()).as("nothing may run with bad configuration").isZero();
        return String.join("\n", EngineKit.failureMessages(results));
    }

    @IsolatedPostgres
    static class Fixture {
        @Test
        void test(PostgresHandle postgres) {
            throw new AssertionError("must not run: " + postgres);
        }
    }
}
