package dev.cleanroom.postgres;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Helpers for running fixture classes through EngineTestKit and for looking at the server as its admin. */
final class NestedRuns {

    private NestedRuns() {}

    /**
     * Runs {@code fixture} with {@code parameters} as JUnit configuration parameters. A
     * system property outranks a configuration parameter (the embedded surefire execution
     * sets {@code cleanroom.postgres.engine}), so a parameter whose key is also a system
     * property replaces that property for the run.
     */
    static EngineExecutionResults run(Class<?> fixture, Map<String, String> parameters) {
        return run(parameters, fixture);
    }

    /** Runs several fixture classes in one JUnit run; see {@link #run(Class, Map)}. */
    static synchronized EngineExecutionResults run(Map<String, String> parameters, Class<?>... fixtures) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter");
        for (Class<?> fixture : fixtures) {
            builder.selectors(selectClass(fixture));
        }
        parameters.forEach(builder::configurationParameter);
        Map<String, String> replaced = new java.util.HashMap<>();
        parameters.forEach((key, value) -> {
            String previous = System.getProperty(key);
            if (previous != null) {
                replaced.put(key, previous);
                System.setProperty(key, value);
            }
        });
        try {
            return builder.execute();
        } finally {
            replaced.forEach(System::setProperty);
        }
    }

    static Map<String, String> parallel() {
        return Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
    }

    /** Every failure of a run (tests and containers), with stack traces, for assertion messages. */
    static String failures(EngineExecutionResults results) {
        StringBuilder text = new StringBuilder();
        List<Event> failed = new ArrayList<>(results.allEvents().failed().list());
        for (Event event : failed) {
            event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).ifPresent(t -> {
                        StringWriter trace = new StringWriter();
                        t.printStackTrace(new PrintWriter(trace));
                        text.append(event.getTestDescriptor().getDisplayName()).append(": ").append(trace).append('\n');
                    });
        }
        return text.toString();
    }

    /** The failure messages of the run's failed tests and containers. */
    static List<String> failureMessages(EngineExecutionResults results) {
        List<String> messages = new ArrayList<>();
        for (Event event : results.allEvents().failed().list()) {
            event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                    .ifPresent(t -> messages.add(t.getClass().getSimpleName() + ": " + t.getMessage()));
        }
        return messages;
    }

    /** Resolves a {@link PostgresServer} parameter: the shared server, for admin checks in outer tests. */
    static final class SharedServer implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return parameterContext.getParameter().getType() == PostgresServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return Fixtures.sharedServer(extensionContext, PostgresServerProvider.class);
        }
    }

    static Connection admin(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.endpoint().jdbcUrl(), server.endpoint().user(), server.endpoint().password());
    }

    static List<String> names(Connection admin, String query) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Polls {@code probe} until it is empty; fails naming what was waited for and what was seen last. */
    static void awaitEmpty(String what, Duration timeout, SqlSupplier<List<String>> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = probe.get();
        while (!seen.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = probe.get();
        }
        if (!seen.isEmpty()) {
            throw new AssertionError("Waited " + timeout.toSeconds() + " s for " + what + " to be gone, but still saw " + seen);
        }
    }

    @FunctionalInterface
    interface SqlSupplier<T> {
        T get() throws Exception;
    }

}
