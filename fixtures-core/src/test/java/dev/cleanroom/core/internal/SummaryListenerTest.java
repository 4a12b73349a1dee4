package dev.cleanroom.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.spi.RunStatistics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end-of-run summary: silent when nothing happened, the deltas otherwise. */
class SummaryListenerTest {

    static RunStatistics.Snapshot snapshot(long tests, Map<String, Long> created, Map<String, Long> removed, long leaks,
                                           int samples) {
        return new RunStatistics.Snapshot(tests, created, removed, leaks, Duration.ofMillis(3), Duration.ofMillis(12),
                samples);
    }

    @Test
    void saysNothingWhenNothingCleanroomRelatedHappened() {
        RunStatistics.Snapshot same = snapshot(5, Map.of("topics", 10L), Map.of("topics", 10L), 1, 5);
        assertThat(SummaryListener.summary(same, same, false)).isNull();
    }

    @Test
    void reportsWhatHappenedDuringTheRun() {
        RunStatistics.Snapshot before = snapshot(5, Map.of("topics", 10L), Map.of("topics", 10L), 1, 5);
        RunStatistics.Snapshot after = snapshot(8, Map.of("topics", 16L, "schemas", 3L), Map.of("topics", 16L), 3, 8);
        assertThat(SummaryListener.summary(before, after, true)).isEqualTo(
                "[cleanroom] run summary: 3 tests isolated; created 3 schemas, 6 topics; removed 6 topics; "
                        + "leaks reported: 2; isolation time on the test thread p50 3.0 ms, p95 12.0 ms (8 samples); parallel execution: untracked threads were checked at the end of the run");
    }

    @Test
    void theListenerIsRegisteredForTheLauncher() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/services/org.junit.platform.launcher.TestExecutionListener")) {
            assertThat(new String(in.readAllBytes()).trim()).isEqualTo(SummaryListener.class.getName());
        }
    }
}
