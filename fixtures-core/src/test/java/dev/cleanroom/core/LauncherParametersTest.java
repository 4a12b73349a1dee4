package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.core.internal.SummaryListener;
import dev.cleanroom.testkit.EngineKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@code cleanroom.*} configuration parameters handed to the launcher itself (surefire's
 * {@code configurationParameters}, Gradle, a discovery request), not through a file: a
 * misspelt key, which Jupiter alone cannot see, fails the run's classes with a message naming
 * the key, where it came from and the closest known key; a bad value names the key, the value
 * and what is allowed. Runs through the launcher, with core's listener, as a build tool does
 * (EngineTestKit has no launcher listeners).
 */
class LauncherParametersTest {

    @EngineKit.Fixture
    @Cleanroom
    static class UsesCleanroom {
        @Test
        void runs() {}
    }

    private static List<String> failures(Map<String, String> parameters) {
        List<String> failures = new ArrayList<>();
        TestExecutionListener collect = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
                result.getThrowable().ifPresent(t -> failures.add(identifier.getDisplayName() + ": " + t.getMessage()));
            }
        };
        SummaryListener summary = new SummaryListener(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        try (LauncherSession session = LauncherFactory.openSession(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build())) {
            session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(UsesCleanroom.class))
                    .configurationParameter(EngineKit.NESTED, "true").configurationParameters(parameters).build(),
                    summary, collect);
        }
        return failures;
    }

    @Test
    void aMisspeltKeyGivenToTheLauncherFailsNamingTheKeyItsSourceAndTheLikelyKey() {
        assertThat(failures(Map.of("cleanroom.probe.partitons", "3"))).singleElement().asString()
                .startsWith("LauncherParametersTest$UsesCleanroom: Unknown setting cleanroom.probe.partitons (from JUnit configuration parameter"
                        + " given to the launcher (surefire's configurationParameters, Gradle's systemProperty, a"
                        + " LauncherDiscoveryRequest)). Did you mean cleanroom.probe.partitions?")
                .contains("Known settings: ");
    }

    @Test
    void aBadValueGivenToTheLauncherFailsNamingTheKeyTheValueAndWhatIsAllowed() {
        assertThat(failures(Map.of("cleanroom.teardown.deadline", "soon"))).singleElement().asString()
                .startsWith("LauncherParametersTest$UsesCleanroom: Bad value for cleanroom.teardown.deadline: 'soon' (from JUnit configuration"
                        + " parameter cleanroom.teardown.deadline). Allowed: ");
    }

    @Test
    void knownKeysAndOtherNamespacesPass() {
        assertThat(failures(Map.of("cleanroom.probe.partitions", "3", "junit.jupiter.execution.parallel.enabled", "false",
                "cleanroomish.key", "x"))).isEmpty();
    }
}
