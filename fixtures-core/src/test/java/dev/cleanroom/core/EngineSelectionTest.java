package dev.cleanroom.core;

import static dev.cleanroom.core.TestSettings.PROBE_ENGINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.internal.DockerProbe;
import dev.cleanroom.core.internal.EngineSelection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** auto, testcontainers without Docker, and the Docker probe itself. */
class EngineSelectionTest {

    private static final DockerProbe.Status NO_DOCKER =
            new DockerProbe.Status(false, "no Docker engine answered within 20000 ms (cleanroom.docker.probe-timeout)");
    private static final DockerProbe.Status DOCKER = new DockerProbe.Status(true, "Docker 1.47 at unix:///var/run/docker.sock");

    @Test
    void autoMeansTestcontainersWhenDockerAnswersAndEmbeddedWhenNot() {
        Configuration auto = Configuration.of(Map.of("cleanroom.probe.engine", "auto"), Map.of(), Map.of());
        assertThat(EngineSelection.resolve(auto, PROBE_ENGINE, "probe", () -> DOCKER)).isEqualTo(Engine.TESTCONTAINERS);
        assertThat(EngineSelection.resolve(auto, PROBE_ENGINE, "probe", () -> NO_DOCKER)).isEqualTo(Engine.EMBEDDED);
    }

    @Test
    void testcontainersWithoutDockerIsAnErrorThatSaysWhatToSet() {
        Configuration configuration = Configuration.of(Map.of(), Map.of("CLEANROOM_PROBE_ENGINE", "testcontainers"), Map.of());
        assertThatThrownBy(() -> EngineSelection.resolve(configuration, PROBE_ENGINE, "probe", () -> NO_DOCKER))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cleanroom.probe.engine=testcontainers (from environment variable CLEANROOM_PROBE_ENGINE)"
                        + " needs a Docker engine, but no Docker engine answered within 20000 ms"
                        + " (cleanroom.docker.probe-timeout). Start Docker (or point DOCKER_HOST at one), or choose"
                        + " another engine: cleanroom.probe.engine=embedded runs probe without Docker,"
                        + " cleanroom.probe.engine=external uses a server you run.");
    }

    @Test
    void explicitEnginesOtherThanTestcontainersDoNotAskForDocker() {
        AtomicInteger asked = new AtomicInteger();
        Supplier<DockerProbe.Status> probe = () -> {
            asked.incrementAndGet();
            return DOCKER;
        };
        for (String engine : new String[] {"embedded", "external"}) {
            Configuration configuration = Configuration.of(Map.of("cleanroom.probe.engine", engine), Map.of(), Map.of());
            assertThat(EngineSelection.resolve(configuration, PROBE_ENGINE, "probe", probe).configName()).isEqualTo(engine);
        }
        assertThat(asked).hasValue(0);
    }

    @Test
    void theDockerProbeAnswersOncePerJvmWithAReason() {
        // whatever this machine has: an engine, none, or a DOCKER_HOST where nothing listens
        DockerProbe.Status first = DockerProbe.status(java.time.Duration.ofSeconds(20));
        DockerProbe.Status second = DockerProbe.status(java.time.Duration.ofMillis(1));
        assertThat(second).isSameAs(first);
        assertThat(first.detail()).as("the reason names Docker").contains("Docker");
    }

    @Test
    void autoSaysWhatItChoseAndWhy() {
        assertThat(EngineSelection.announcement(NO_DOCKER)).isEqualTo("[cleanroom] no Docker engine answered within 20000 ms"
                + " (cleanroom.docker.probe-timeout): engine auto uses the embedded engines"
                + " (set cleanroom.<kafka|postgres>.engine to choose)");
        assertThat(EngineSelection.announcement(DOCKER))
                .isEqualTo("[cleanroom] Docker 1.47 at unix:///var/run/docker.sock: engine auto uses the Testcontainers engines");
    }
}
