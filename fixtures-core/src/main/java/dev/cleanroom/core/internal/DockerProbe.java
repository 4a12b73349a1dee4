package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.Park;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;

/**
 * Asks, once per JVM and within a time limit, whether Testcontainers can reach a Docker
 * engine. When nothing listens where an engine could be ({@link DockerEndpoints}), the
 * answer comes at once. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class DockerProbe {

    /**
     * The answer, with a reason that can be shown to a user and, when there is no engine to
     * use, what to do about it (besides choosing an engine without Docker).
     */
    public record Status(boolean available, String detail, String fix) {
        /** The fix when no engine answered. */
        public static final String START_DOCKER = "Start Docker (or point DOCKER_HOST at one)";

        /** An answer whose fix, if any, is to start Docker. */
        public Status(boolean available, String detail) {
            this(available, detail, START_DOCKER);
        }
    }

    private static volatile CompletableFuture<Status> probe;
    private static volatile Thread prober;

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
                    prober = thread;
                    thread.start();
                }
                started = probe;
            }
        }
        try {
            return Park.get(started, timeout);
        } catch (TimeoutException e) {
            Status none = stuckOnRyuk(prober, timeout).orElseGet(() -> new Status(false, "no Docker engine answered within "
                    + timeout.toMillis() + " ms (cleanroom.docker.probe-timeout)"));
            started.complete(none); // settle the answer for the rest of the JVM
            return Park.join(started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(false, "interrupted while probing for Docker");
        } catch (ExecutionException e) {
            return new Status(false, String.valueOf(e.getCause()));
        }
    }

    /**
     * Docker answered, but Testcontainers is still starting Ryuk, its resource reaper: on a
     * machine that cannot pull Ryuk's image, it retries the pull for minutes (pull.timeout) before
     * it gives up. The probe's own thread says so: Ryuk's classes are on its stack.
     */
    static Optional<Status> stuckOnRyuk(Thread thread, Duration timeout) {
        if (thread == null) {
            return Optional.empty();
        }
        StackTraceElement[] stack = thread.getStackTrace();
        boolean ryuk = false;
        boolean pulling = false;
        for (StackTraceElement frame : stack) {
            ryuk |= frame.getClassName().startsWith("org.testcontainers.utility.Ryuk");
            pulling |= frame.getClassName().contains("RemoteDockerImage") || frame.getMethodName().contains("pull");
        }
        if (!ryuk) {
            return Optional.empty();
        }
        String image = TestcontainersCheck.ryukImage();
        return Optional.of(new Status(false, "Testcontainers did not get a Docker engine ready within "
                + timeout.toMillis() + " ms (cleanroom.docker.probe-timeout): Docker answers, but Ryuk, Testcontainers'"
                + " resource reaper, did not start" + (pulling ? ": Testcontainers is still trying to pull its image "
                + image + ", which this machine cannot get" : " (image " + image + ")"),
                "Make that image available (docker pull or docker load it, or point ryuk.container.image in"
                        + " ~/.testcontainers.properties at a copy you can reach), or set the environment variable"
                        + " TESTCONTAINERS_RYUK_DISABLED=true (Cleanroom stops and removes its own containers without"
                        + " Ryuk)"));
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
        /** Ryuk's image as Testcontainers names it, with the configured substitute if there is one. */
        static String ryukImage() {
            String configured = org.testcontainers.utility.TestcontainersConfiguration.getInstance()
                    .getEnvVarOrProperty("ryuk.container.image", "");
            return configured.isBlank() ? "testcontainers/ryuk" : configured + " (ryuk.container.image)";
        }

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
