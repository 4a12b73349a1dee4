package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.internal.Faults;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
            Set<Thread> threads = Thread.getAllStackTraces().keySet();
            Set<Long> children = children();
            List<Path> files = serverFiles();
            Faults.arm(step);
            assertThatThrownBy(() -> new PostgresServerProvider().start(Engine.EMBEDDED, configuration))
                    .as(step).isInstanceOf(Faults.InjectedFault.class).hasMessage("injected fault at " + step);
            assertThat(children()).as(step + ": child processes").isSubsetOf(children);
            assertThat(serverFiles()).as(step + ": data directories and logs").isSubsetOf(files);
            assertNoNewThreads(step, threads);
        }
    }

    private static void assertNoNewThreads(String step, Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive())
                    .map(Thread::getName)
                    .filter(n -> n.startsWith("cleanroom-") || n.startsWith("HikariPool"))
                    .sorted().collect(Collectors.toList());
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(left).as(step + ": threads left").isEmpty();
    }

    private static Set<Long> children() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private static List<Path> serverFiles() throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("cleanroom-pg-" + RunId.current())).toList();
        }
    }
}
