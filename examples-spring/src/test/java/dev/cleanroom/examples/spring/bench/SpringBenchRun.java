package dev.cleanroom.examples.spring.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One forked JVM of the Spring benchmark: runs one way's classes through the JUnit Platform
 * Launcher (in a launcher session, so that cached contexts close at its end) and writes what
 * it measured as a properties file: tests, failures, wall time of the launcher's execute call
 * (context start-ups included, servers already running) and each test's duration.
 */
public final class SpringBenchRun {

    private SpringBenchRun() {}

    /** The ways, in the order they run: label, the way's holder class, and whether tests run in parallel. */
    enum Way {
        CLEANROOM("cleanroom (one cached context, parallel)", CleanroomWay.class, true),
        DIRTIES_CONTEXT("@DirtiesContext per class + TRUNCATE", DirtiesContextWay.class, false),
        TRUNCATE("shared context + TRUNCATE", TruncateWay.class, false);

        final String label;
        final Class<?> holder;
        final boolean parallel;

        Way(String label, Class<?> holder, boolean parallel) {
            this.label = label;
            this.holder = holder;
            this.parallel = parallel;
        }

        List<ClassSelector> classes() {
            return Arrays.stream(holder.getDeclaredClasses())
                    .filter(c -> !java.lang.reflect.Modifier.isAbstract(c.getModifiers()))
                    .sorted(java.util.Comparator.comparing(Class::getName)).map(c -> selectClass(c)).toList();
        }
    }

    public static void main(String[] args) throws IOException {
        Way way = Way.valueOf(args[0]);
        Path result = Path.of(args[1]);
        int parallelism = Integer.getInteger("suite.parallelism", 4);
        Map<String, String> parameters = way.parallel
                ? Map.of("junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent",
                        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(parallelism),
                        "junit.jupiter.execution.parallel.config.fixed.max-pool-size", Integer.toString(parallelism * 2))
                : Map.of("junit.jupiter.execution.parallel.enabled", "false");

        Map<String, Long> started = new ConcurrentHashMap<>();
        List<Long> durations = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>("");
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier id) {
                started.put(id.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult outcome) {
                if (id.isTest()) {
                    durations.add(System.nanoTime() - started.get(id.getUniqueId()));
                }
                if (outcome.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet("", id.getDisplayName() + ": " + outcome.getThrowable().map(String::valueOf)
                            .orElse(outcome.getStatus().toString()));
                }
            }
        };
        long wall;
        try (LauncherSession session = LauncherFactory.openSession()) {
            long t0 = System.nanoTime();
            session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request().selectors(way.classes())
                    .configurationParameters(parameters).build(), listener);
            wall = System.nanoTime() - t0;
        }
        Properties p = new Properties();
        p.setProperty("tests", Integer.toString(durations.size()));
        p.setProperty("failed", Long.toString(failed.get()));
        p.setProperty("firstFailure", firstFailure.get());
        p.setProperty("wallNanos", Long.toString(wall));
        p.setProperty("testNanos", durations.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
        try (OutputStream out = Files.newOutputStream(result)) {
            p.store(out, way.label);
        }
        System.exit(0);
    }
}
