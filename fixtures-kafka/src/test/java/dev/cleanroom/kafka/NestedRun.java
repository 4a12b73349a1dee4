package dev.cleanroom.kafka;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

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
        Map<String, String> all = new HashMap<>(parameters);
        all.put(MARKER, "true");
        return EngineTestKit.engine("junit-jupiter").configurationParameters(all).selectors(selectClass(fixture)).execute();
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
            return context.getConfigurationParameter(MARKER).isPresent()
                    ? ConditionEvaluationResult.enabled("nested run")
                    : ConditionEvaluationResult.disabled("a fixture of an outer test; runs only through EngineTestKit");
        }
    }
}
