package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.internal.ContainerState;
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
        String token = ContainerState.newStartToken();
        if (!reuse) { // a label of its own would change the reused container's hash
            container.withLabel(ContainerState.START_LABEL, token);
        }
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            if (!reuse) {
                ContainerState.removeAbandoned(token).ifPresent(e::addSuppressed);
            }
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
        return "testcontainers " + image + (reuse ? " (reused)" : "") + ContainerState.describe(container.getContainerId());
    }

    @Override
    public java.util.Optional<String> whyGone() {
        return ContainerState.whyGone(container.getContainerId());
    }

    @Override
    public void close() {
        if (!reuse) {
            container.stop();
        }
    }
}
