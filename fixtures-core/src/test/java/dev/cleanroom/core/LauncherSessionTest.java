package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.core.ProbeServers.ProbeProvider;
import dev.cleanroom.core.ProbeServers.ProbeServer;
import dev.cleanroom.core.internal.SummaryListener;
import dev.cleanroom.core.spi.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * A launcher session that executes each class as a plan of its own (what surefire does
 * in a reused fork, {@code forkCount > 1}) starts a shared server once, keeps it until the
 * session ends, and prints one run summary, at its end.
 */
class LauncherSessionTest {

    static final Set<ProbeServer> SEEN = ConcurrentHashMap.newKeySet();

    static final BeforeEachCallback RECORD = context -> SEEN.add(Fixtures.sharedServer(context, ProbeProvider.class));

    @Cleanroom
    @ProbeServers.UsesProbe
    static class FirstClass {
        @RegisterExtension
        static final BeforeEachCallback RECORDS = RECORD;

        @Test void one() {}
        @Test void two() {}
    }

    @Cleanroom
    @ProbeServers.UsesProbe
    static class SecondClass {
        @RegisterExtension
        static final BeforeEachCallback RECORDS = RECORD;

        @Test void three() {}
    }

    @Test
    void theServerLivesForTheSessionAndTheSessionReportsOnceAtItsEnd() {
        SEEN.clear();
        ProbeServers.PROBE_STARTS.set(0);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SummaryListener summary = new SummaryListener(new PrintStream(printed, true, StandardCharsets.UTF_8));
        SummaryGeneratingListener outcomes = new SummaryGeneratingListener();
        ProbeServer server;
        try (LauncherSession session = LauncherFactory.openSession(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build())) {
            for (Class<?> testClass : List.of(FirstClass.class, SecondClass.class)) { // one plan per class
                session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(testClass)).build(), summary, outcomes);
                assertThat(outcomes.getSummary().getTotalFailureCount()).isZero();
            }
            assertThat(SEEN).hasSize(1);
            server = SEEN.iterator().next();
            assertThat(server.closes).as("stopped before the session ended").hasValue(0);
            assertThat(printed.toString(StandardCharsets.UTF_8)).as("reported before the session ended").isEmpty();
        }
        assertThat(ProbeServers.PROBE_STARTS).hasValue(1);
        assertThat(server.closes).hasValue(1);
        List<String> lines = Arrays.stream(printed.toString(StandardCharsets.UTF_8).split("\\R"))
                .filter(l -> !l.isBlank()).toList();
        assertThat(lines).singleElement().asString()
                .startsWith("[cleanroom] run summary: 3 tests isolated")
                .contains("servers started: probe (external)");
    }
}
