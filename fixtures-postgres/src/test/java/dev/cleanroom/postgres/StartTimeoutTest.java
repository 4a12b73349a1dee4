package dev.cleanroom.postgres;

import dev.cleanroom.testkit.Containers;
import dev.cleanroom.testkit.EngineKit;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A PostgreSQL server that is not ready within cleanroom.server.start-timeout: the first
 * class that needs it fails once with a message naming the setting, a later class fails at
 * once with the same message, nothing else fails, and no container is left. (A JVM per
 * test class in this module: no server of an earlier class is running.)
 */
class StartTimeoutTest {

    private static final String DOCKER = "dev.cleanroom.testkit.Containers#dockerAvailable";

    @IsolatedPostgres(ddl = true) // its test creates a table
    static class FirstClass {
        @Test
        void queries(PostgresHandle postgres) {
            postgres.update("CREATE TABLE t (id int)");
        }
    }

    @IsolatedPostgres(ddl = true) // its test creates a table
    static class LaterClass {
        @Test
        void queries(PostgresHandle postgres) {
            postgres.update("CREATE TABLE t (id int)");
        }
    }

    @Test
    @EnabledIf(DOCKER)
    void aServerNotReadyInTimeFailsEachClassOnceLaterOnesAtOnceAndLeavesNoContainer() throws InterruptedException {
        long start = System.nanoTime();
        EngineExecutionResults results = EngineKit.run(Map.of("cleanroom.postgres.engine", "testcontainers",
                "cleanroom.server.start-timeout", "300ms"), FirstClass.class, LaterClass.class);
        long runMillis = (System.nanoTime() - start) / 1_000_000;

        String timedOut = "The shared postgres server (engine testcontainers) did not start within 300 ms"
                + " (cleanroom.server.start-timeout)";
        EngineKit.assertOnlyClassesFailed(results, timedOut, FirstClass.class, LaterClass.class);
        // the later class did not wait a second start timeout
        assertThat(runMillis).isLessThan(3_000);
        assertThat(Containers.leftByThisJvm()).as("containers of this JVM left").isEmpty();
    }

}
