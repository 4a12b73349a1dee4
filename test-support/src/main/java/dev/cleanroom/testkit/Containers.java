package dev.cleanroom.testkit;

import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;

/** The containers this JVM's Testcontainers session made, for tests that assert nothing was left behind. */
public final class Containers {

    private Containers() {}

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
