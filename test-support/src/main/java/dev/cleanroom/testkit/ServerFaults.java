package dev.cleanroom.testkit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;

/**
 * Faults done to a shared server for the death and hang tests, found by the server's
 * description: "container &lt;12 hex&gt;" (the Testcontainers engine) or "pid &lt;n&gt;" (the
 * embedded engine's process).
 */
public final class ServerFaults {

    /** The container id in a server's description. */
    public static final Pattern CONTAINER = Pattern.compile("container ([0-9a-f]{12})");
    /** The process id in a server's description. */
    public static final Pattern PID = Pattern.compile("pid (\\d+)");

    private ServerFaults() {}

    /** The first group of {@code pattern} in {@code text}; fails naming both if there is none. */
    public static String matched(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + pattern + " in " + text);
        }
        return m.group(1);
    }

    /** Kills the server as a crash would: {@code docker kill} of its container, or SIGKILL of its process. */
    public static void kill(String description) {
        Matcher container = CONTAINER.matcher(description);
        if (container.find()) {
            DockerClientFactory.instance().client().killContainerCmd(container.group(1)).exec();
            return;
        }
        ProcessHandle.of(Long.parseLong(matched(PID, description))).orElseThrow().destroyForcibly();
    }

    /**
     * Makes the server hang, neither answering nor dying: {@code docker pause} of its container,
     * or SIGSTOP of its process. The returned {@link Resume} undoes it (once; later calls, and a
     * container removed meanwhile, do nothing); close it in a {@code finally}.
     */
    public static Resume hang(String description) throws IOException, InterruptedException {
        Matcher container = CONTAINER.matcher(description);
        if (container.find()) {
            String id = container.group(1);
            DockerClientFactory.instance().client().pauseContainerCmd(id).exec();
            return new Resume(() -> {
                try {
                    DockerClientFactory.instance().client().unpauseContainerCmd(id).exec();
                } catch (RuntimeException removedOrNotPaused) {
                    // nothing to unpause
                }
            });
        }
        String pid = matched(PID, description);
        signal("STOP", pid);
        return new Resume(() -> {
            try {
                signal("CONT", pid);
            } catch (IOException | InterruptedException | AssertionError e) {
                if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IllegalStateException("could not continue process " + pid, e);
                }
            }
        });
    }

    /** Sends {@code signal} (e.g. "STOP", "CONT") to process {@code pid} with kill(1). */
    public static void signal(String signal, String pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new AssertionError("kill -" + signal + " " + pid + " did not end within 10 s");
        }
        if (kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + " exited with " + kill.exitValue());
        }
    }

    /** Undoes a {@link #hang}, once. */
    public static final class Resume implements AutoCloseable {
        private final Runnable resume;
        private final AtomicBoolean done = new AtomicBoolean();

        private Resume(Runnable resume) {
            this.resume = resume;
        }

        @Override
        public void close() {
            if (done.compareAndSet(false, true)) {
                resume.run();
            }
        }
    }
}
