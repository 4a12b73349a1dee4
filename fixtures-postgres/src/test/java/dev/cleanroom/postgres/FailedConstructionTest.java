package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.internal.Faults;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import dev.cleanroom.testkit.Leftovers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server whose construction fails at a step releases everything the steps before it
 * made: the admin pool and its threads, the run-lock connection, the executors, the
 * embedded server's process, data directory and log. One injected failure per step, on the
 * embedded engine (a server of its own per attempt). A JVM per test class in this module.
 */
class FailedConstructionTest {

    @AfterEach
    void disarm() {
        Faults.disarm();
    }

    @Test
    void aFailureAtEachStepReleasesWhatTheStepsBeforeMade() throws Exception {
        Map<String, String> system = new TreeMap<>();
        System.getProperties().forEach((k, v) -> system.put(String.valueOf(k), String.valueOf(v)));
        Configuration configuration = Configuration.of(system, System.getenv(), Map.of());
        for (String step : List.of("postgres.embedded.before-server", "postgres.embedded.before-ready",
                "postgres.server.before-lock", "postgres.server.before-executors", "postgres.server.before-dropper",
                "postgres.server.before-prepare")) {
            // the admin pool's threads, ours, the server's processes, its data directory and log
            Leftovers.Snapshot before = Leftovers.threads("cleanroom-", "HikariPool")
                    .tempFiles("cleanroom-pg-" + RunId.current()).snapshot();
            Faults.arm(step);
            assertThatThrownBy(() -> new PostgresServerProvider().start(Engine.EMBEDDED, configuration))
                    .as(step).isInstanceOf(Faults.InjectedFault.class).hasMessage("injected fault at " + step);
            assertThat(before.left()).as(step + ": left behind").isEmpty();
        }
    }
}
