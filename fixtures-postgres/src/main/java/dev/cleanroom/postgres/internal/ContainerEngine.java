package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** One PostgreSQLContainer per suite, fsync off. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class ContainerEngine implements ServerEngine {

    private final PostgreSQLContainer container;
    private final boolean reuse;
    private final String image;

    private ContainerEngine(PostgreSQLContainer container, boolean reuse, String image) {
        this.container = container;
        this.reuse = reuse;
        this.image = image;
    }

    public static ContainerEngine start(String image, boolean reuse) {
        DockerImageName name = DockerImageName.parse(image).asCompatibleSubstituteFor("postgres");
        PostgreSQLContainer container = new PostgreSQLContainer(name)
                .withCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
                        "-c", "max_connections=300")
                .withReuse(reuse);
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
        return new ContainerEngine(container, reuse, image);
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(container.getHost() + ":" + container.getMappedPort(5432), container.getDatabaseName(), "",
                container.getUsername(), container.getPassword());
    }

    @Override
    public boolean ownsServer() {
        return !reuse;
    }

    @Override
    public String describe() {
        String id = container.getContainerId();
        return "testcontainers " + image + (reuse ? " (reused)" : "")
                + (id == null ? "" : ", container " + id.substring(0, Math.min(12, id.length())));
    }

    @Override
    public java.util.Optional<String> whyGone() {
        String id = container.getContainerId();
        try {
            var state = org.testcontainers.DockerClientFactory.instance().client().inspectContainerCmd(id).exec().getState();
            if (Boolean.TRUE.equals(state.getRunning())) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of("its container " + id.substring(0, 12) + " is not running (status "
                    + state.getStatus() + ", exit code " + state.getExitCodeLong() + ")");
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return java.util.Optional.of("its container " + id.substring(0, 12) + " no longer exists");
        } catch (RuntimeException dockerDoesNotAnswer) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public void close() {
        if (!reuse) {
            container.stop();
        }
    }
}
