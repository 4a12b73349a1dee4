package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.cleanroom.postgres.internal.PostgresServer;
import java.sql.Connection;
import dev.cleanroom.testkit.EngineKit;
import dev.cleanroom.testkit.ServerFaults;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.testcontainers.DockerClientFactory;

/**
 * The shared PostgreSQL server dies in the middle of a class: the test that notices fails
 * within cleanroom.postgres.connect-timeout with one message naming the server, later tests
 * and classes fail at once with the same message, the run ends in bounded time with a
 * result for every test, and nothing of the server is left. A server that hangs instead
 * (container paused, postmaster stopped) while a test waits for its schema is found "not
 * answering" by a probe within the connect timeout. (A JVM per test class in this
 * module: killing this JVM's server disturbs no other class.)
 */
class ServerDeathTest {

    private static final String DOCKER = "dev.cleanroom.testkit.Containers#dockerAvailable";

    static volatile String server;

    @IsolatedPostgres(migrations = "db/migration", ddl = true) // its tests create a table
    @ExtendWith(ServerAdmin.SharedServer.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class DiesMidClass {
        @Test
        @Order(1)
        void queriesWhileTheServerLives(PostgresHandle postgres, PostgresServer shared) {
            postgres.update("CREATE TABLE t (id int)");
            server = shared.describe();
        }

        @Test
        @Order(2)
        void queriesAfterTheServerWasKilled(PostgresHandle postgres) throws Exception {
            // the connection logged in before the test may reach a backend that outlives its killed postmaster for a
            // moment (embedded engine): held here, so the statement needs a new login, which the dead server refuses
            try (java.sql.Connection loggedInAhead = postgres.dataSource().getConnection()) {
                ServerFaults.kill(server);
                postgres.update("CREATE TABLE t (id int)");
            }
        }

        @Test
        @Order(3)
        void queriesLater(PostgresHandle postgres) {
            postgres.update("CREATE TABLE t (id int)");
        }
    }

    @IsolatedPostgres(migrations = "db/migration", ddl = true) // its test creates a table
    static class ALaterClass {
        @Test
        void queries(PostgresHandle postgres) {
            postgres.update("CREATE TABLE t (id int)");
        }
    }

    static volatile PostgresServer shared;

    /** Preparing its schema takes 100 s (db/slow); the server dies while its test waits for it. */
    @IsolatedPostgres(migrations = "db/slow")
    @ExtendWith(ServerAdmin.SharedServer.class)
    static class DiesWhileASchemaIsPrepared {
        @BeforeAll
        static void serverStarted(PostgresServer server) {
            shared = server;
        }

        @Test
        void waitsForItsSchema(PostgresHandle postgres) {
            throw new AssertionError("got a schema from a server that was killed while preparing it");
        }
    }

    @Test
    @EnabledIf(DOCKER)
    void aKilledContainerFailsTheTestThatNoticesAndEveryLaterOneAtOnce() {
        String id = ServerFaults.matched(ServerFaults.CONTAINER, runAndCheck("testcontainers", "is not running"));
        assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withIdFilter(List.of(id)).exec()).as("containers left").isEmpty();
        try {
            DockerClientFactory.instance().client().inspectContainerCmd(id).exec();
            throw new AssertionError("container " + id + " is still there");
        } catch (NotFoundException expected) {
            // gone
        }
    }

    @Test
    void aKilledEmbeddedServerFailsTheTestThatNoticesAndEveryLaterOneAtOnce() {
        long pid = Long.parseLong(ServerFaults.matched(ServerFaults.PID, runAndCheck("embedded", "exited with code")));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    @EnabledIf(DOCKER)
    void aContainerKilledWhileATestWaitsForItsSchemaFailsItWithinTheConnectTimeout() throws Exception {
        killedWhileASchemaIsPrepared("testcontainers", "is not running");
    }

    @Test
    void anEmbeddedServerKilledWhileATestWaitsForItsSchemaFailsItWithinTheConnectTimeout() throws Exception {
        killedWhileASchemaIsPrepared("embedded", "exited with code");
    }

    /**
     * The server hangs (its container paused: it neither answers nor dies) while the only test
     * waits for its schema: a probe bounded by cleanroom.postgres.connect-timeout notices, and
     * the test fails with the server's "not answering" message naming that setting within a
     * few connect timeouts, not after cleanroom.postgres.prepare-timeout (120 s). The container
     * is unpaused once the server was declared gone (and in any case at the end), and nothing
     * of it is left.
     */
    @Test
    @EnabledIf(DOCKER)
    void aContainerPausedWhileATestWaitsForItsSchemaFailsItWithinTheConnectTimeout() throws Exception {
        AtomicReference<String> container = new AtomicReference<>();
        faultWhileASchemaIsPrepared("testcontainers", "is not answering", server -> {
            container.set(ServerFaults.matched(ServerFaults.CONTAINER, server.describe()));
            try (ServerFaults.Resume resume = ServerFaults.hang(server.describe())) {
                awaitGone(server); // then let the run end on a live container
            }
        });
        assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withIdFilter(List.of(container.get())).exec()).as("containers left").isEmpty();
    }

    /** The same with the embedded server's postmaster stopped (SIGSTOP), continued (SIGCONT) once declared gone. */
    @Test
    void anEmbeddedServerStoppedWhileATestWaitsForItsSchemaFailsItWithinTheConnectTimeout() throws Exception {
        faultWhileASchemaIsPrepared("embedded", "is not answering", server -> {
            try (ServerFaults.Resume resume = ServerFaults.hang(server.describe())) {
                awaitGone(server);
            }
        });
    }

    /** Waits (at most 60 s) until the server was declared gone. */
    private static void awaitGone(PostgresServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.isGone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** What is done to the server while the test waits for its schema. */
    private interface Fault {
        void on(PostgresServer server) throws Exception;
    }

    private static void killedWhileASchemaIsPrepared(String engine, String reason) throws Exception {
        faultWhileASchemaIsPrepared(engine, reason, server -> ServerFaults.kill(server.describe()));
    }

    /**
     * The server dies (or hangs) while the only test waits for its schema (being prepared,
     * 100 s): the test fails with the server's gone message within a few connect timeouts of
     * the fault, not after cleanroom.postgres.prepare-timeout (120 s).
     */
    private static void faultWhileASchemaIsPrepared(String engine, String reason, Fault fault) throws Exception {
        shared = null;
        AtomicLong killedAt = new AtomicLong();
        AtomicReference<Throwable> killerFailed = new AtomicReference<>();
        Thread killer = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (shared == null && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                PostgresServer server = shared;
                assertThat(server).as("the server started").isNotNull();
                try (Connection admin = ServerAdmin.admin(server)) { // kill once the migration sleeps
                    while (ServerAdmin.names(admin, "SELECT query FROM pg_stat_activity WHERE query LIKE '%pg_sleep(100)%'"
                            + " AND pid <> pg_backend_pid()").isEmpty()) {
                        assertThat(System.nanoTime()).as("the migration started within 120 s").isLessThan(deadline);
                        Thread.sleep(50);
                    }
                }
                killedAt.set(System.nanoTime());
                fault.on(server);
            } catch (Throwable t) {
                killerFailed.set(t);
            }
        }, "kills-the-server");
        killer.start();
        EngineExecutionResults results = EngineKit.run(Map.of("cleanroom.postgres.engine", engine,
                "cleanroom.postgres.connect-timeout", "2s", "cleanroom.postgres.prepare-timeout", "120s"),
                DiesWhileASchemaIsPrepared.class);
        long failedAt = System.nanoTime();
        killer.join(70_000);
        assertThat(killer.isAlive()).as("the fault thread ended").isFalse();
        assertThat(killerFailed.get()).isNull();

        System.out.println("[ServerDeathTest] " + engine + ", " + reason + ": the run ended "
                + TimeUnit.NANOSECONDS.toMillis(failedAt - killedAt.get()) + " ms after the fault: "
                + EngineKit.failureMessages(results));
        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        assertThat(EngineKit.failureMessages(results)).singleElement().asString()
                .startsWith("IllegalStateException: The shared PostgreSQL server is gone: " + engine)
                .contains(reason)
                .contains("DiesWhileASchemaIsPrepared.waitsForItsSchema");
        if (reason.equals("is not answering")) {
            assertThat(EngineKit.failureMessages(results)).singleElement().asString()
                    .contains(PostgresSettings.CONNECT_TIMEOUT.key() + " (2000 ms)");
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(failedAt - killedAt.get()))
                .as("seconds from the fault to the end of the run (connect timeout 2 s, prepare timeout 120 s)")
                .isLessThan(20);
    }

    private static String runAndCheck(String engine, String reason) {
        server = null;
        long start = System.nanoTime();
        EngineExecutionResults results = EngineKit.run(Map.of("cleanroom.postgres.engine", engine,
                "cleanroom.postgres.connect-timeout", "2s"), DiesMidClass.class, ALaterClass.class);
        long runSeconds = (System.nanoTime() - start) / 1_000_000_000L;

        results.testEvents().assertStatistics(s -> s.started(4).succeeded(1).failed(3));
        List<String> messages = results.testEvents().failed().stream().map(e -> e.getRequiredPayload(
                TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse("")).toList();
        assertThat(messages).allSatisfy(m -> assertThat(m)
                .startsWith("The shared PostgreSQL server is gone: " + engine)
                .contains(reason)
                .contains("It stopped answering while running SQL in schema ")
                .contains("Every later test in this JVM that needs PostgreSQL fails at once"));
        assertThat(messages).as("one cause, reported the same way on each test").containsOnly(messages.get(0));
        assertThat(EngineKit.failureMessages(results)).as("nothing but the tests failed").hasSize(3);
        assertThat(runSeconds).as("seconds for the whole run, server start included").isLessThan(90);
        return server;
    }
}
