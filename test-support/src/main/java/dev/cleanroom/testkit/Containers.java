package dev.cleanroom.testkit;

import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;

/** The containers this JVM's Testcontainers session made, for tests that assert nothing was left behind. */
public final class Containers {

    private static Boolean available; // guarded by Containers.class

    private Containers() {}

    /**
     * Whether this JVM's Testcontainers reaches a Docker engine, for {@code @EnabledIf}: asked once
     * per JVM and within 30 s. Testcontainers' own answer can take minutes (it starts Ryuk first, and
     * retries a pull of Ryuk's image that an offline machine cannot do); then the Docker tests are
     * skipped with a line saying why, instead of each JVM hanging.
     */
    public static synchronized boolean dockerAvailable() throws InterruptedException {
        if (available == null) {
            java.util.concurrent.FutureTask<Boolean> ask =
                    new java.util.concurrent.FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
            Thread asker = new Thread(ask, "test-support-docker-check");
            asker.setDaemon(true);
            asker.start();
            try {
                available = ask.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.err.println("[test-support] Testcontainers did not say within 30 s whether Docker is there (is it"
                        + " pulling Ryuk's image? set TESTCONTAINERS_RYUK_DISABLED=true, as offline-docker/prepare.sh"
                        + " does); the tests that need Docker are skipped");
                available = false;
            } catch (java.util.concurrent.ExecutionException e) {
                available = false;
            }
        }
        return available;
    }

    /**
     * This JVM's Testcontainers containers still present, waiting up to 60 s for an interrupted start or a stop
     * under way to clean up; empty when nothing is left.
     */
    public static List<String> leftByThisJvm() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<String> left;
        do {
            left = ofThisJvm();
            if (!left.isEmpty()) {
                Thread.sleep(200);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        return left;
    }

    /** This JVM's Testcontainers containers now, one line each: short id, image, status. */
    public static List<String> ofThisJvm() {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL,
                        DockerClientFactory.SESSION_ID)).exec().stream()
                .map(c -> c.getId().substring(0, 12) + " " + c.getImage() + " " + c.getStatus()).toList();
    }
}
