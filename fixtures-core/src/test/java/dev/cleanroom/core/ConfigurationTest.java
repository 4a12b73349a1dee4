package dev.cleanroom.core;

import static dev.cleanroom.core.TestSettings.PROBE_ADDRESS;
import static dev.cleanroom.core.TestSettings.PROBE_CLIENT;
import static dev.cleanroom.core.TestSettings.PROBE_ENGINE;
import static dev.cleanroom.core.TestSettings.PROBE_PARTITIONS;
import static dev.cleanroom.core.TestSettings.PROBE_REUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.testkit.EngineKit;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.io.TempDir;

/** One lookup, four sources, and an error for every kind of bad configuration. */
class ConfigurationTest {

    // ---- precedence ----

    @Test
    void systemPropertyBeatsEnvironmentBeatsFileBeatsDefault() {
        Map<String, String> file = Map.of("cleanroom.probe.engine", "embedded");
        Map<String, String> env = Map.of("CLEANROOM_PROBE_ENGINE", "testcontainers");
        Map<String, String> sys = Map.of("cleanroom.probe.engine", "auto");

        assertThat(Configuration.of(Map.of(), Map.of(), Map.of()).get(PROBE_ENGINE)).isEqualTo(Engine.EXTERNAL);
        assertThat(Configuration.of(Map.of(), Map.of(), file).get(PROBE_ENGINE)).isEqualTo(Engine.EMBEDDED);
        assertThat(Configuration.of(Map.of(), env, file).get(PROBE_ENGINE)).isEqualTo(Engine.TESTCONTAINERS);
        Configuration all = Configuration.of(sys, env, file);
        assertThat(all.get(PROBE_ENGINE)).isEqualTo(Engine.AUTO);
        assertThat(all.sourceOf(PROBE_ENGINE)).isEqualTo("system property cleanroom.probe.engine");
        assertThat(Configuration.of(Map.of(), env, file).sourceOf(PROBE_ENGINE))
                .isEqualTo("environment variable CLEANROOM_PROBE_ENGINE");
        assertThat(Configuration.of(Map.of(), Map.of(), Map.of()).sourceOf(PROBE_ENGINE)).isEqualTo("default");
    }

    @Test
    void cleanroomPropertiesIsReadFromTheTestClassPath(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("cleanroom.properties"), "cleanroom.probe.partitions = 12\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Configuration configuration = Configuration.load(loader, key -> Optional.empty());
            assertThat(configuration.get(PROBE_PARTITIONS)).isEqualTo(12);
            assertThat(configuration.sourceOf(PROBE_PARTITIONS)).startsWith("cleanroom.properties (file:");
        }
    }

    @Test
    void aMisspeltKeyInCleanroomPropertiesNamesTheFileAndTheLikelyKey(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("cleanroom.properties"), "cleanroom.probe.partitons=3\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> Configuration.load(loader, key -> Optional.empty()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("Unknown setting cleanroom.probe.partitons (from cleanroom.properties (file:")
                    .hasMessageContaining("Did you mean cleanroom.probe.partitions?");
        }
    }

    @Test
    void aMisspeltKeyInJunitPlatformPropertiesNamesTheKeyTheFileAndTheKnownKeys(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("junit-platform.properties"),
                "junit.jupiter.execution.parallel.enabled=false\ncleanroom.probe.partitons=3\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> Configuration.load(loader, key -> Optional.empty()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("Unknown setting cleanroom.probe.partitons (from JUnit configuration parameter in"
                            + " junit-platform.properties (file:")
                    .hasMessageContaining("Did you mean cleanroom.probe.partitions?")
                    .hasMessageContaining("Known settings: ")
                    .hasMessageContaining("cleanroom.leaks.linger");
        }
    }

    @Test
    void aBadValueInJunitPlatformPropertiesNamesTheKeyTheValueTheFileAndWhatIsAllowed(@TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("junit-platform.properties"), "cleanroom.probe.partitions = many\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            // JUnit hands the file's values to a run as configuration parameters
            assertThatThrownBy(() -> Configuration.load(loader,
                    key -> key.equals("cleanroom.probe.partitions") ? Optional.of("many") : Optional.empty()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("Bad value for cleanroom.probe.partitions: 'many' (from JUnit configuration"
                            + " parameter cleanroom.probe.partitions in junit-platform.properties (file:")
                    .hasMessageContaining("Allowed: ");
            // the same key given to the launcher with another value: not the file's
            assertThatThrownBy(() -> Configuration.load(loader,
                    key -> key.equals("cleanroom.probe.partitions") ? Optional.of("0") : Optional.empty()))
                    .hasMessageContaining("(from JUnit configuration parameter cleanroom.probe.partitions). Allowed: ");
        }
    }

    @Test
    void knownKeysInJunitPlatformPropertiesPass(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("junit-platform.properties"), "cleanroom.probe.partitions=3\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            // the value itself reaches a run through JUnit (root::getConfigurationParameter), not this loader
            assertThat(Configuration.load(loader, key -> Optional.empty()).knownSettings()).contains(PROBE_PARTITIONS);
        }
    }

    @Test
    void severalCleanroomPropertiesAreNamedInAWarningAndTheFirstWins(@TempDir Path dir) throws IOException {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Files.writeString(first.resolve("cleanroom.properties"), "cleanroom.probe.partitions = 12\n");
        Files.writeString(second.resolve("cleanroom.properties"), "cleanroom.probe.partitions = 13\n");
        URL[] urls = {first.toUri().toURL(), second.toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader(urls, getClass().getClassLoader())) {
            assertThat(Configuration.load(loader, key -> Optional.empty()).get(PROBE_PARTITIONS)).isEqualTo(12);
            java.util.List<URL> found = java.util.Collections.list(loader.getResources("cleanroom.properties"));
            assertThat(Configuration.severalFiles("cleanroom.properties", found))
                    .startsWith("[cleanroom] WARNING: 2 files named cleanroom.properties on the class path; only the"
                            + " first is read:")
                    .contains("read:    " + found.get(0))
                    .contains("ignored: " + found.get(1))
                    .contains("Keep one");
        }
    }

    @Test
    void junitConfigurationParametersSitBetweenSystemPropertiesAndTheEnvironment() {
        AtomicReference<String> seen = new AtomicReference<>();
        ReadsProbeEngine.seen = seen;
        EngineKit.run(ReadsProbeEngine.class, "cleanroom.probe.engine", "embedded")
                .testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(seen.get()).isEqualTo("EMBEDDED from JUnit configuration parameter cleanroom.probe.engine");
    }

    static class ReadsProbeEngine {
        static AtomicReference<String> seen;

        @RegisterExtension
        static final BeforeEachCallback READ = context -> {
            Configuration configuration = Fixtures.configuration(context);
            seen.set(configuration.get(PROBE_ENGINE) + " from " + configuration.sourceOf(PROBE_ENGINE));
        };

        @Test
        void reads() {
        }
    }

    // ---- bad configuration ----

    @Test
    void anUnknownSystemPropertyIsAnErrorWithASuggestion() {
        assertThatThrownBy(() -> Configuration.of(Map.of("cleanroom.probe.engnie", "auto"), Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Unknown setting cleanroom.probe.engnie (from system property cleanroom.probe.engnie)."
                        + " Did you mean cleanroom.probe.engine?")
                .hasMessageContaining("Known settings: cleanroom.teardown.deadline");
    }

    @Test
    void anUnknownEnvironmentVariableIsAnErrorWithASuggestion() {
        assertThatThrownBy(() -> Configuration.of(Map.of(), Map.of("CLEANROOM_PROBE_ENGIN", "auto"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Unknown setting CLEANROOM_PROBE_ENGIN (from environment variable"
                        + " CLEANROOM_PROBE_ENGIN). Did you mean CLEANROOM_PROBE_ENGINE?");
    }

    @Test
    void keysOfAFixtureModuleThatIsNotOnTheClassPathAreIgnoredButMisspeltModulesAreNot() {
        // fixtures-kafka is not on fixtures-core's test class path; CI exports its keys to every module
        Configuration configuration = Configuration.of(Map.of("cleanroom.kafka.engine", "embedded"),
                Map.of("CLEANROOM_POSTGRES_IMAGE", "fixtures-offline/postgres:15"), Map.of());
        assertThat(configuration.knownSettings()).extracting(Setting::key).doesNotContain("cleanroom.kafka.engine");
        assertThatThrownBy(() -> Configuration.of(Map.of("cleanroom.kafak.engine", "embedded"), Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Unknown setting cleanroom.kafak.engine");
    }

    @Test
    void aBadEnumValueNamesTheKeyTheValueTheSourceAndTheAllowedValues() {
        assertThatThrownBy(() -> Configuration.of(Map.of(), Map.of("CLEANROOM_PROBE_ENGINE", "dockr"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Bad value for cleanroom.probe.engine: 'dockr' (from environment variable"
                        + " CLEANROOM_PROBE_ENGINE). Allowed: auto, testcontainers, embedded, external.");
    }

    @Test
    void badNumbersFlagsAndDurationsAreErrorsThatSayWhatIsAllowed() {
        assertThatThrownBy(() -> Configuration.of(Map.of(), Map.of(), Map.of("cleanroom.probe.partitions", "0")))
                .hasMessage("Bad value for cleanroom.probe.partitions: '0' (from cleanroom.properties)."
                        + " Allowed: a whole number from 1 to 64.");
        assertThatThrownBy(() -> Configuration.of(Map.of("cleanroom.probe.reuse", "yes"), Map.of(), Map.of()))
                .hasMessageContaining("Bad value for cleanroom.probe.reuse: 'yes'").hasMessageEndingWith("Allowed: true, false.");
        assertThatThrownBy(() -> Configuration.of(Map.of("cleanroom.teardown.deadline", "soon"), Map.of(), Map.of()))
                .hasMessageContaining("Bad value for cleanroom.teardown.deadline: 'soon'")
                .hasMessageEndingWith("Allowed: a positive duration such as 250ms, 10s, 2m or PT10S.");
        assertThatThrownBy(() -> Configuration.of(Map.of("cleanroom.teardown.deadline", "-5s"), Map.of(), Map.of()))
                .hasMessageContaining("'-5s'");
    }

    @Test
    void durationsAcceptTheDocumentedSpellings() {
        assertThat(deadline("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(deadline("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(deadline("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(deadline("PT10S")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aRequiredSettingThatIsMissingSaysWhyAndHowToSetIt() {
        Configuration configuration = Configuration.of(Map.of(), Map.of(), Map.of());
        assertThat(configuration.find(PROBE_ADDRESS)).isEmpty();
        assertThatThrownBy(() -> configuration.require(PROBE_ADDRESS, "when cleanroom.probe.engine=external"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cleanroom.probe.address is required when cleanroom.probe.engine=external. Set it with"
                        + " -Dcleanroom.probe.address=<value>, the environment variable CLEANROOM_PROBE_ADDRESS=<value>,"
                        + " or cleanroom.probe.address=<value> in cleanroom.properties on the test class path.");
    }

    @Test
    void prefixSettingsPassAFamilyOfKeysThroughByPrecedence() {
        Configuration configuration = Configuration.of(
                Map.of("cleanroom.probe.client.security.protocol", "SASL_SSL"),
                Map.of("CLEANROOM_PROBE_CLIENT_SASL_MECHANISM", "PLAIN"),
                Map.of("cleanroom.probe.client.security.protocol", "PLAINTEXT", "cleanroom.probe.client.acks", "all"));
        assertThat(configuration.withPrefix(PROBE_CLIENT)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "acks", "all"));
    }

    @Test
    void badConfigurationFailsTheTestClassBeforeAnyTestRunsWithTheMessage() {
        EngineKit.run(UsesCleanroom.class, "cleanroom.teardown.deadline", "forever").containerEvents()
                .assertThatEvents().haveExactly(1, event(container(UsesCleanroom.class),
                        finishedWithFailure(instanceOf(ConfigurationException.class), message(
                                "Bad value for cleanroom.teardown.deadline: 'forever' (from JUnit configuration parameter"
                                        + " cleanroom.teardown.deadline). Allowed: a positive duration such as 250ms,"
                                        + " 10s, 2m or PT10S."))));
    }

    @Test
    void aMisspeltSystemPropertyFailsTheTestClass() {
        System.setProperty("cleanroom.teardown.dedline", "5s");
        try {
            EngineKit.run(UsesCleanroom.class).containerEvents().assertThatEvents().haveExactly(1,
                    event(container(UsesCleanroom.class), finishedWithFailure(instanceOf(ConfigurationException.class),
                            message(m -> m.startsWith("Unknown setting cleanroom.teardown.dedline (from system property"
                                    + " cleanroom.teardown.dedline). Did you mean cleanroom.teardown.deadline?")))));
        } finally {
            System.clearProperty("cleanroom.teardown.dedline");
        }
    }

    @Cleanroom
    static class UsesCleanroom {
        @Test
        void anything() {
        }
    }

    private static Duration deadline(String value) {
        return Configuration.of(Map.of("cleanroom.teardown.deadline", value), Map.of(), Map.of())
                .get(CoreSettings.CLOSER_DEADLINE);
    }

}
