package dev.cleanroom.core;

import static dev.cleanroom.core.TestSettings.PROBE_ENGINE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.internal.DockerProbe;
import dev.cleanroom.core.internal.EngineSelection;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Docker answers, but Testcontainers cannot start Ryuk, its resource reaper, because this
 * machine cannot pull Ryuk's image (a shell without the offline setup, a machine without a
 * registry): Testcontainers would retry that pull for minutes. The first test that needs
 * Docker fails within cleanroom.docker.probe-timeout with a message that names Ryuk, its
 * image and the fixes, not "no Docker engine answered" and "Start Docker". Runs in a child
 * JVM (the probe answers once per JVM, and Testcontainers reads its configuration once), with
 * Ryuk enabled and its image pointed at one that exists nowhere.
 */
class RyukUnreachableTest {

    private static final String IMAGE = "fixtures-offline/ryuk-does-not-exist:0.1";

    static boolean docker() {
        return DockerProbe.status(java.time.Duration.ofSeconds(20)).available();
    }

    /**
     * The child: asks for the engine given with a 15 s probe timeout (Testcontainers reaches
     * Ryuk within it even on a busy machine) and prints what it got.
     */
    public static final class Child {
        public static void main(String[] args) {
            Configuration configuration = Configuration.of(Map.of("cleanroom.probe.engine", args[0],
                    "cleanroom.docker.probe-timeout", "15s"), Map.of(), Map.of());
            long start = System.nanoTime();
            String outcome;
            try {
                outcome = "engine " + EngineSelection.resolve(configuration, PROBE_ENGINE, "probe").configName();
            } catch (ConfigurationException e) {
                outcome = "error " + e.getMessage();
            }
            System.out.println("[child] " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + outcome);
            System.out.flush();
            Runtime.getRuntime().halt(0); // the pull goes on in Testcontainers' thread; nothing else to wait for
        }
    }

    @Test
    @EnabledIf("docker")
    void testcontainersFailsWithinTheProbeTimeoutNamingRyukItsImageAndTheFixes() throws Exception {
        String out = child("testcontainers");
        assertThat(out).contains("error cleanroom.probe.engine=testcontainers (from system property cleanroom.probe.engine)"
                        + " needs a Docker engine, but Testcontainers did not get a Docker engine ready within 15000 ms"
                        + " (cleanroom.docker.probe-timeout): Docker answers, but Ryuk, Testcontainers' resource reaper,"
                        + " did not start")
                .contains(IMAGE + " (ryuk.container.image)")
                .contains("TESTCONTAINERS_RYUK_DISABLED=true")
                .contains("or choose another engine: cleanroom.probe.engine=embedded")
                .doesNotContain("Start Docker");
    }

    @Test
    @EnabledIf("docker")
    void autoSaysWhyItChoseTheEmbeddedEnginesAndHowToUseDocker() throws Exception {
        String out = child("auto");
        assertThat(out).contains("[cleanroom] Testcontainers did not get a Docker engine ready within 15000 ms")
                .contains("Docker answers, but Ryuk, Testcontainers' resource reaper, did not start")
                .contains("engine auto uses the embedded engines (set cleanroom.<kafka|postgres>.engine to choose;"
                        + " to use Docker: Make that image available")
                .contains("engine embedded");
    }

    private static String child(String engine) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), engine).redirectErrorStream(true);
        builder.environment().remove("TESTCONTAINERS_RYUK_DISABLED");
        builder.environment().put("TESTCONTAINERS_RYUK_CONTAINER_IMAGE", IMAGE);
        File output = File.createTempFile("ryuk-child", ".log");
        builder.redirectOutput(output);
        Process child = builder.start();
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended within 60 s").isTrue();
            String out = Files.readString(output.toPath(), StandardCharsets.UTF_8);
            System.out.println("[RyukUnreachableTest] " + engine + ": " + out.lines()
                    .filter(l -> l.startsWith("[child]") || l.startsWith("[cleanroom]")).toList());
            return out;
        } finally {
            child.destroyForcibly();
            output.delete();
        }
    }
}
