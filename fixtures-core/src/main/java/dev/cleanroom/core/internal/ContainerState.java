package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apiguardian.api.API;

/**
 * Whether a Testcontainers container still runs, for the engines that use one. Needs
 * Testcontainers on the class path (only called by engines that have it). Internal: do
 * not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ContainerState {

    /** The label that marks the one container a start makes, so that a start given up mid-way can find it. */
    public static final String START_LABEL = "dev.cleanroom.start";

    private static final long ABANDONED_SEARCH_MILLIS = 15_000;
    private static final long QUIET_CHECKS = 10; // 3 s without a sighting: a create under way has landed by then

    private ContainerState() {}

    /** A fresh value for {@link #START_LABEL}, one per container start. */
    public static String newStartToken() {
        return UUID.randomUUID().toString();
    }

    /**
     * Removes the container that a failed or interrupted start of {@code token} may have made
     * without Testcontainers knowing its id: an interrupt during the create request leaves the
     * daemon to finish creating it, and without Ryuk nobody would remove it. Looks until no
     * such container has been seen for 3 s, at most 15 s, with the calling
     * thread's interrupt put aside meanwhile. Returns a failure naming what it could not
     * remove and how to remove it, or empty (also when Docker does not answer: then there is
     * nothing this JVM can do).
     */
    public static Optional<IllegalStateException> removeAbandoned(String token) {
        boolean interrupted = Thread.interrupted();
        try {
            var docker = org.testcontainers.DockerClientFactory.instance().client();
            long deadline = System.nanoTime() + ABANDONED_SEARCH_MILLIS * 1_000_000;
            int quiet = 0;
            List<String> left = List.of();
            while (quiet < QUIET_CHECKS && System.nanoTime() < deadline) {
                left = docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(START_LABEL, token)).exec()
                        .stream().map(c -> c.getId()).toList();
                quiet = left.isEmpty() ? quiet + 1 : 0;
                for (String id : left) {
                    try {
                        docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
                    } catch (com.github.dockerjava.api.exception.NotFoundException alreadyGone) {
                        // removed meanwhile
                    }
                }
                Thread.sleep(300);
            }
            return left.isEmpty() ? Optional.empty() : Optional.of(new IllegalStateException("The container(s) "
                    + left + " made by this failed start could not be removed within " + ABANDONED_SEARCH_MILLIS
                    + " ms; remove them with: docker rm -f $(docker ps -aq --filter label=" + START_LABEL + "=" + token + ")"));
        } catch (InterruptedException e) {
            interrupted = true;
            return Optional.empty();
        } catch (RuntimeException dockerDoesNotAnswer) {
            return Optional.empty();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Why container {@code id} is gone (stopped, removed), or empty if it runs or Docker does not answer. */
    public static Optional<String> whyGone(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String shortId = id.substring(0, Math.min(12, id.length()));
        try {
            var state = org.testcontainers.DockerClientFactory.instance().client().inspectContainerCmd(id).exec().getState();
            if (Boolean.TRUE.equals(state.getRunning())) {
                return Optional.empty();
            }
            return Optional.of("its container " + shortId + " is not running (status " + state.getStatus()
                    + ", exit code " + state.getExitCodeLong() + ")");
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return Optional.of("its container " + shortId + " no longer exists");
        } catch (RuntimeException dockerDoesNotAnswer) {
            return Optional.empty();
        }
    }

    /** {@code ", container <short id>"} for descriptions, or {@code ""} before the container exists. */
    public static String describe(String id) {
        return id == null ? "" : ", container " + id.substring(0, Math.min(12, id.length()));
    }
}
