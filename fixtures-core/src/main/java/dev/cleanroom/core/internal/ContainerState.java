package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Whether a Testcontainers container still runs, for the engines that use one. Needs
 * Testcontainers on the class path (only called by engines that have it). Internal: do
 * not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ContainerState {

    private ContainerState() {}

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

    /** ", container <short id>" for descriptions, or "" before the container exists. */
    public static String describe(String id) {
        return id == null ? "" : ", container " + id.substring(0, Math.min(12, id.length()));
    }
}
