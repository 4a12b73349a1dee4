package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.PlannedTest;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.internal.IsolatedDatabase;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import dev.cleanroom.testkit.EngineKit;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run's test plan tells the schema pools what is coming: the schemas its tests will take
 * are prepared from the start of the run (before the first test asks), and no more than the
 * plan needs.
 */
@ExtendWith(CleanroomExtension.class)
@ExtendWith(ServerAdmin.SharedServer.class)
@UsesSharedServer(PostgresServerProvider.class)
class PlannedDemandTest {

    private static final String SET = "db/announced";
    private static final Pattern PREPARED = Pattern.compile("schema " + SET + " \\(builtin\\): (\\d+) prepared.*?(\\d+) takes waited");

    @Test
    void theSchemasOfThePlannedTestsArePreparedBeforeTheFirstTestTakesOne(PostgresServer server) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = Configuration.load(loader, key -> Optional.ofNullable(
                Map.of("cleanroom.postgres.migrator", "builtin", "cleanroom.postgres.prefetch", "1").get(key)));
        List<PlannedTest> plan = new ArrayList<>();
        for (Method m : Planned.class.getDeclaredMethods()) { // 3 plain tests, one repeated 3 times, one disabled
            plan.add(new PlannedTest(Planned.class, m, m.isAnnotationPresent(RepeatedTest.class)));
        }
        for (Method m : Unrelated.class.getDeclaredMethods()) {
            plan.add(new PlannedTest(Unrelated.class, m, false));
        }

        server.announce(plan, config, loader);

        // prefetch 1 alone would stop at one: the plan's six are made without any test asking
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (prepared(server) < 6 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(prepared(server)).as(server.describePools()).isEqualTo(6);
        Thread.sleep(300);
        assertThat(prepared(server)).as("no more than the plan needs: " + server.describePools()).isEqualTo(6);

        List<IsolatedDatabase> handles = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                handles.add(server.isolate(Mode.SCHEMA, SET, false, TestIdentity.named("Planned" + i), loader, config));
            }
        } finally {
            handles.forEach(IsolatedDatabase::release);
            server.awaitDrops(Duration.ofMinutes(1));
        }
        Matcher m = PREPARED.matcher(server.describePools());
        assertThat(m.find()).isTrue();
        assertThat(m.group(2)).as("no take waited: " + server.describePools()).isEqualTo("0");
        assertThat(prepared(server)).as("still no more than the plan needs").isEqualTo(6);
    }

    private static int prepared(PostgresServer server) {
        Matcher m = PREPARED.matcher(server.describePools());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @IsolatedPostgres(migrations = SET)
    static class Planned {
        @Test
        void one() {}

        @Test
        void two() {}

        @Test
        void three() {}

        @RepeatedTest(3)
        void repeated() {}

        @Test
        @Disabled("takes nothing")
        void disabled() {}
    }

    static class Unrelated {
        @Test
        void noPostgres() {}
    }
}
