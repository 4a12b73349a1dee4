package dev.cleanroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Runs fixture classes through the Jupiter engine (EngineTestKit), for every module's own tests.
 * Settings reach the nested run only as JUnit configuration parameters: nothing here touches
 * system properties, so runs may go on in parallel. A build that must pick an engine for
 * the nested runs too sets an environment variable ({@code CLEANROOM_POSTGRES_ENGINE}), which a
 * configuration parameter of the same setting outranks.
 */
public final class EngineKit {

    /** The configuration parameter that every nested run carries; {@link Fixture} classes run only with it. */
    public static final String NESTED = "cleanroom-test.nested";

    private EngineKit() {}

    /** Runs {@code fixture} with configuration parameters given as key, value pairs. */
    public static EngineExecutionResults run(Class<?> fixture, String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key, value pairs expected, got " + List.of(keyValues));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            parameters.put(keyValues[i], keyValues[i + 1]);
        }
        return run(parameters, fixture);
    }

    /** Runs {@code fixture} with {@code parameters} as configuration parameters. */
    public static EngineExecutionResults run(Class<?> fixture, Map<String, String> parameters) {
        return run(parameters, fixture);
    }

    /** Runs several fixture classes in one JUnit run. */
    public static EngineExecutionResults run(Map<String, String> parameters, Class<?>... fixtures) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").configurationParameter(NESTED, "true");
        parameters.forEach(builder::configurationParameter);
        for (Class<?> fixture : fixtures) {
            builder.selectors(selectClass(fixture));
        }
        return builder.execute();
    }

    /** Configuration parameters for a concurrent run with {@code parallelism} threads. */
    public static Map<String, String> parallel(int parallelism) {
        return Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(parallelism));
    }

    /**
     * The most tests that were between their started and finished events at once (events are
     * recorded in the order they happen): a parallel run must never exceed its parallelism.
     */
    public static int maxTestsInFlight(EngineExecutionResults results) {
        int inFlight = 0;
        int max = 0;
        for (Event event : results.testEvents().list()) {
            if (event.getType() == EventType.STARTED) {
                max = Math.max(max, ++inFlight);
            } else if (event.getType() == EventType.FINISHED) {
                inFlight--;
            }
        }
        return max;
    }

    /** Every failure of a run (tests and containers), with stack traces, for assertion messages. */
    public static String failures(EngineExecutionResults results) {
        StringBuilder text = new StringBuilder();
        for (Event event : results.allEvents().failed().list()) {
            event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).ifPresent(t -> {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                text.append(event.getTestDescriptor().getDisplayName()).append(": ").append(trace).append('\n');
            });
        }
        return text.toString();
    }

    /** "SimpleClassName: message" of every failed test and container of the run. */
    public static List<String> failureMessages(EngineExecutionResults results) {
        List<String> messages = new ArrayList<>();
        for (Event event : results.allEvents().failed().list()) {
            event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(t -> messages.add(t.getClass().getSimpleName() + ": " + t.getMessage()));
        }
        return messages;
    }

    /**
     * Asserts that a run failed on {@code classes} only, each once with a message that starts with
     * {@code message}, and started no test: what a shared server that could not start must give.
     */
    public static void assertOnlyClassesFailed(EngineExecutionResults results, String message, Class<?>... classes) {
        for (Class<?> fixture : classes) {
            results.containerEvents().assertThatEvents().as(fixture.getSimpleName() + " failed once with: " + message)
                    .haveExactly(1, event(container(fixture), finishedWithFailure(message(m -> m.startsWith(message)))));
        }
        assertThat(failureMessages(results)).as("failures: the classes', nothing at the run's end").hasSize(classes.length);
        assertThat(results.testEvents().started().count()).as("tests started").isZero();
    }

    /** Marks a fixture class that runs only inside a nested run, never on its own (e.g. from an IDE). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
    @ExtendWith(OnlyNested.class)
    public @interface Fixture {}

    /** The condition behind {@link Fixture}. */
    public static final class OnlyNested implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(NESTED).isPresent()
                    ? ConditionEvaluationResult.enabled("nested run")
                    : ConditionEvaluationResult.disabled("a fixture of an outer test; runs only through EngineKit");
        }
    }
}
