package dev.cleanroom.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.spi.RunStatistics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The end-of-run summary text: silent when nothing happened, every number of the run otherwise. */
class SummaryListenerTest {

    @Test
    void saysNothingWhenNothingCleanroomRelatedHappened() {
        assertThat(SummaryListener.summary(RunStatistics.detached().snapshot())).isNull();
    }

    @Test
    void reportsEveryNumberOfTheRun() {
        Map<String, RunStatistics.Resource> resources = new TreeMap<>();
        resources.put("topics", new RunStatistics.Resource(380, 360, 380, Duration.ofMillis(9100), 2, Duration.ofMillis(400)));
        resources.put("schemas", new RunStatistics.Resource(185, 180, 185, Duration.ofSeconds(3), 0, Duration.ZERO));
        resources.put("consumer groups", new RunStatistics.Resource(180, 0, 180, Duration.ZERO, 0, Duration.ZERO));
        Map<String, Duration> starts = new LinkedHashMap<>();
        starts.put("kafka (testcontainers)", Duration.ofMillis(4200));
        RunStatistics.Snapshot run = new RunStatistics.Snapshot(180, resources, starts, 1, Duration.ofMillis(3),
                Duration.ofMillis(12), 180, true, Map.of("OrdersTest.sends()", List.of("topics orders=cr0_p7_3p", "schema cr0_12_orderstest_sends")));

        assertThat(SummaryListener.summary(run)).isEqualTo("[cleanroom] run summary: 180 tests isolated; leaks reported: 1; "
                + "isolation time on the test thread p50 3.0 ms, p95 12.0 ms (180 samples, one per test; server start not included); "
                + "tests waited 2 times for prepared topics (0.4 s); servers started: kafka (testcontainers) in 4.2 s; "
                + "consumer groups: 180 created, 180 removed; schemas: 185 created, 180 used, 185 removed, 3.0 s preparing in the background; "
                + "topics: 380 created, 360 used, 380 removed, 9.1 s preparing in the background; "
                + "parallel execution: untracked threads were checked at the end of the run"
                + System.lineSeparator() + "[cleanroom]   failed OrdersTest.sends() had topics orders=cr0_p7_3p; schema cr0_12_orderstest_sends");
    }

    @Test
    void saysHowManyWereMadeAndWhy() {
        RunStatistics stats = RunStatistics.detached();
        stats.created("schemas", 6);
        stats.made("schemas", "for parallelism 4", 4);
        stats.made("schemas", "slack", 2);
        stats.used("schemas", 180);
        stats.reused("schemas", 174);

        assertThat(SummaryListener.summary(stats.snapshot()))
                .contains("schemas: 6 created (4 for parallelism 4, 2 slack), 180 used (174 of them reused after a reset)");
    }

    @Test
    void theListenerIsRegisteredForTheLauncher() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/services/org.junit.platform.launcher.TestExecutionListener")) {
            assertThat(new String(in.readAllBytes()).trim()).isEqualTo(SummaryListener.class.getName());
        }
    }
}
