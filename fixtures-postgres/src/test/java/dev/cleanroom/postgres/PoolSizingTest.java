package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.spi.PrefetchPool;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import dev.cleanroom.testkit.EngineKit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The schema pool is sized by the tests that run at once: a parallel run of N classes of M
 * tests at parallelism P makes at most P + slack schemas, and its other tests get reset ones.
 */
@ExtendWith(CleanroomExtension.class)
@ExtendWith(ServerAdmin.SharedServer.class)
@UsesSharedServer(PostgresServerProvider.class)
class PoolSizingTest {

    private static final int PARALLELISM = 3;
    private static final int TESTS = 3 * 6;
    private static final Pattern IN_FLIGHT = Pattern.compile("schema db/sized .*?, (\\d+) being prepared");

    static volatile RunStatistics nested;
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger PEAK = new AtomicInteger();

    @Test
    void aParallelRunMakesAtMostParallelismPlusSlackSchemas(PostgresServer server) throws Exception {
        EngineExecutionResults results = EngineKit.run(EngineKit.parallel(PARALLELISM), First.class, Second.class,
                Third.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(TESTS).failed(0));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a preparation started last completes
        while (inFlight(server) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(inFlight(server)).as(server.describePools()).isZero();
        RunStatistics.Resource schemas = nested.snapshot().resources().get("schemas");
        String seen = schemas + "; pools: " + server.describePools() + "; tests in flight at most " + PEAK.get();
        assertThat(schemas.used()).as(seen).isEqualTo(TESTS);
        assertThat(schemas.created()).as("at most parallelism + slack: " + seen)
                .isLessThanOrEqualTo(PARALLELISM + PrefetchPool.maxSlack(PARALLELISM));
        assertThat(schemas.madeFor()).as(seen).containsEntry("for parallelism " + PARALLELISM, (long) PARALLELISM);
        assertThat(schemas.madeFor().values().stream().mapToLong(Long::longValue).sum()).as(seen)
                .isEqualTo(schemas.created());
        assertThat(schemas.reused()).as("the other tests get reset schemas: " + seen)
                .isGreaterThanOrEqualTo(TESTS - schemas.created());
    }

    private static int inFlight(PostgresServer server) {
        Matcher m = IN_FLIGHT.matcher(server.describePools());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Records the nested run's statistics. */
    static final class Recorder implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            nested = RunStatistics.of(context);
        }
    }

    /** Six tests that each write a row and see only their own: a reset schema is as clean as a new one. */
    @ExtendWith(Recorder.class)
    @IsolatedPostgres(migrations = "db/sized")
    abstract static class Writes {
        @RepeatedTest(6)
        void writes(PostgresHandle postgres) throws Exception {
            PEAK.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            try {
                postgres.update("INSERT INTO notes (id, body) VALUES (1, ?)", postgres.schema());
                Thread.sleep(30); // the test's own work, overlapping with the others
                assertThat(postgres.queryForObject("SELECT count(*) FROM notes", Long.class)).isEqualTo(1);
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }

    @EngineKit.Fixture
    static class First extends Writes {}

    @EngineKit.Fixture
    static class Second extends Writes {}

    @EngineKit.Fixture
    static class Third extends Writes {}
}
