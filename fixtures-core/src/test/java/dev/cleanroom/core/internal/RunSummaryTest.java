package dev.cleanroom.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.core.Cleanroom;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.PlannedTest;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.testkit.EngineKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The summary reports the launcher session's own run: one isolation sample per test even
 * when two fixtures record time for it, and nothing of a run nested in one of its tests.
 */
class RunSummaryTest {

    private static volatile RunStatistics nestedRun;
    private static volatile java.util.Optional<List<PlannedTest>> outerPlan;
    private static volatile java.util.Optional<List<PlannedTest>> nestedPlan;

    /** Acts like two fixtures of one test: each records isolation time and a resource it handed out. */
    static final class TwoFixtures implements BeforeEachCallback {
        @Override
        public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
            RunStatistics run = RunStatistics.of(context);
            run.isolationTime(context, Duration.ofMillis(1));
            run.used("topics", 2);
            run.isolationTime(context, Duration.ofMillis(2));
            run.used("schemas", 1);
        }
    }

    @Cleanroom
    static class OuterSuite {
        @RegisterExtension
        static final TwoFixtures FIXTURES = new TwoFixtures();

        @RegisterExtension
        static final BeforeEachCallback PLAN = context -> outerPlan = Fixtures.plannedTests(context);

        @Test
        void one() {}

        @Test
        void two() {}

        @Test
        void runsANestedSuite() {
            EngineKit.run(NestedSuite.class).testEvents().assertStatistics(s -> s.succeeded(4));
        }
    }

    @Cleanroom
    static class NestedSuite {
        @RegisterExtension
        static final TwoFixtures FIXTURES = new TwoFixtures();

        @RegisterExtension
        static final BeforeEachCallback GRAB = context -> {
            nestedRun = RunStatistics.of(context);
            nestedPlan = Fixtures.plannedTests(context);
        };

        @Test
        void a() {}

        @Test
        void b() {}

        @Test
        void c() {}

        @Test
        void d() {}
    }

    @Test
    void theSummaryCountsOnlyItsOwnRunWithOneSamplePerTest() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());

        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(OuterSuite.class)).build(),
                new SummaryListener(new PrintStream(printed, true, StandardCharsets.UTF_8)));

        List<String> lines = Arrays.stream(printed.toString(StandardCharsets.UTF_8).split("\\R"))
                .filter(l -> !l.isBlank()).toList();
        assertThat(lines).singleElement().asString()
                .startsWith("[cleanroom] run summary: 3 tests isolated; leaks reported: 0; "
                        + "isolation time on the test thread p50 3.0 ms, p95 3.0 ms (3 samples, one per test")
                .contains("schemas: 0 created, 3 used, 0 removed")
                .contains("topics: 0 created, 6 used, 0 removed");
        RunStatistics.Snapshot nested = nestedRun.snapshot();
        assertThat(nested.tests()).isEqualTo(4);
        assertThat(nested.isolationSamples()).isEqualTo(4);
        assertThat(nested.resources().get("topics").used()).isEqualTo(8);
        // the launcher's plan is known to its own run only
        assertThat(outerPlan).hasValueSatisfying(plan -> assertThat(plan).extracting(t -> t.method().getName())
                .containsExactlyInAnyOrder("one", "two", "runsANestedSuite"));
        assertThat(nestedPlan).isEmpty();
    }

    @Test
    void aRunWithoutALauncherSessionIsNotReported() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SummaryListener listener = new SummaryListener(new PrintStream(printed, true, StandardCharsets.UTF_8));
        listener.testPlanExecutionStarted(null);

        EngineKit.run(NestedSuite.class).testEvents().assertStatistics(s -> s.succeeded(4));
        listener.testPlanExecutionFinished(null);

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(nestedRun.snapshot().tests()).isEqualTo(4);
    }
}
