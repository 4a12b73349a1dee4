package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;

/**
 * Asks, once per JVM and within a time limit, whether Testcontainers can reach a Docker
 * engine. When nothing listens where an engine could be ({@link DockerEndpoints}), the
 * answer comes at once. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class DockerProbe {

    /** The answer, with a reason that can be shown to a user. */
    public record Status(boolean available, String detail) {}

    private static volatile CompletableFuture<Status> probe;

    private DockerProbe() {}

    /** Probes on first call (later calls wait for, then reuse, the first answer). */
    public static Status status(Duration timeout) {
        CompletableFuture<Status> started = probe;
        if (started == null) {
            synchronized (DockerProbe.class) {
                if (probe == null) {
                    probe = new CompletableFuture<>();
                    // in the shared-server group: the threads docker-java starts for it are no test's leak
                    Thread thread = new Thread(ThreadLeaks.SHARED_SERVER_GROUP, () -> probe.complete(ask()),
                            "cleanroom-docker-probe");
                    thread.setDaemon(true);
                    thread.start();
                }
                started = probe;
            }
        }
        try {
            return started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Status none = new Status(false, "no Docker engine answered within " + timeout.toMillis()
                    + " ms (cleanroom.docker.probe-timeout)");
            started.complete(none); // settle the answer for the rest of the JVM
            return started.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(false, "interrupted while probing for Docker");
        } catch (ExecutionException e) {
            return new Status(false, String.valueOf(e.getCause()));
        }
    }

    private static Status ask() {
        // nothing listens where an engine could be: say so at once, not after Testcontainers' own wait
        java.util.Optional<Status> none = DockerEndpoints.ofThisMachine().nothingListens();
        if (none.isPresent()) {
            return none.get();
        }
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, DockerProbe.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return new Status(false, "Testcontainers is not on the class path");
        }
        return TestcontainersCheck.ask();
    }

    /** Kept apart so that DockerProbe loads without Testcontainers on the class path. */
    private static final class TestcontainersCheck {
        static Status ask() {
            try {
                org.testcontainers.DockerClientFactory factory = org.testcontainers.DockerClientFactory.instance();
                factory.client();
                return new Status(true, "Docker " + factory.getActiveApiVersion() + " at "
                        + factory.getTransportConfig().getDockerHost());
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) {
                    throw vme;
                }
                return new Status(false, "Testcontainers found no Docker engine: " + t.getMessage());
            }
        }
    }
}
