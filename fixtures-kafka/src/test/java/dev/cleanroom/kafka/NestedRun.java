package dev.cleanroom.kafka;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.core.spi.RunStatistics;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs a nested fixture class through EngineTestKit; fixtures marked {@link Fixture} run only that way. */
final class NestedRun {

    static final String MARKER = "kafka-fixture-test.nested";

    private NestedRun() {}

    static EngineExecutionResults run(Class<?> fixture) {
        return run(fixture, Map.of());
    }

    static EngineExecutionResults run(Class<?> fixture, Map<String, String> parameters) {
        return run(Map.of(), parameters, fixture);
    }

    /** Several fixture classes in one run. */
    static EngineExecutionResults run(Map<String, String> parameters, Class<?>... fixtures) {
        return run(Map.of(), parameters, fixtures);
    }

    private static EngineExecutionResults run(Map<String, String> defaults, Map<String, String> parameters,
                                              Class<?>... fixtures) {
        Map<String, String> all = new HashMap<>(defaults);
        all.putAll(parameters);
        all.put(MARKER, "true");
        return EngineTestKit.engine("junit-jupiter").configurationParameters(all)
                .selectors(java.util.Arrays.stream(fixtures).map(f -> selectClass(f)).toArray(
                        org.junit.platform.engine.DiscoverySelector[]::new)).execute();
    }

    static EngineExecutionResults runParallel(Class<?> fixture) {
        return run(fixture, Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "6"));
    }

    /** Marks a fixture class that runs only inside {@link NestedRun}, never on its own. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(OnlyNested.class)
    @interface Fixture {}

    static final class OnlyNested implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getConfigurationParameter(MARKER).isEmpty()) {
                return ConditionEvaluationResult.disabled("a fixture of an outer test; runs only through EngineTestKit");
            }
            lastRun = RunStatistics.of(context);
            return ConditionEvaluationResult.enabled("nested run");
        }
    }

    private static volatile RunStatistics lastRun;

    /** The statistics of the latest nested run (a run of its own, not the outer one's). */
    static RunStatistics.Snapshot lastRun() {
        return lastRun.snapshot();
    }

    /** The latest nested run's numbers of {@code kind}. */
    static RunStatistics.Resource lastRun(String kind) {
        return lastRun().resources().getOrDefault(kind, new RunStatistics.Resource(0, 0, 0, java.time.Duration.ZERO, 0,
                java.time.Duration.ZERO));
    }

    /** Every topic and consumer group the latest nested run created is confirmed gone from the broker. */
    static void assertNothingLeft() {
        for (String kind : java.util.List.of("topics", "consumer groups")) {
            RunStatistics.Resource r = lastRun(kind);
            org.assertj.core.api.Assertions.assertThat(r.removed()).as(kind + " removed (confirmed) of those created")
                    .isEqualTo(r.created());
        }
    }
}
