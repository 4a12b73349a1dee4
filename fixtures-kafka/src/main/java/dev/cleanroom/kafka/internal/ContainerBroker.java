package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.kafka.KafkaSettings;
import dev.cleanroom.core.internal.ContainerState;
import org.apiguardian.api.API;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The testcontainers engine: one {@link KafkaContainer} for the suite. The configured
 * image is declared a compatible substitute for {@code apache/kafka}, so private mirrors
 * and stand-ins work. KRaft is tuned for short test runs (the quorum's append linger
 * drops from 25 ms to 1 ms, no initial rebalance delay). Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ContainerBroker implements Broker {

    private final KafkaContainer container;
    private final String image;
    private final boolean reuse;

    ContainerBroker(Configuration configuration) {
        this.image = configuration.get(KafkaSettings.IMAGE);
        this.reuse = configuration.get(KafkaSettings.REUSE);
        DockerImageName name;
        try {
            name = DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka");
            name.assertValid();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Bad value for " + KafkaSettings.IMAGE.key() + ": '" + image + "' (from "
                    + configuration.sourceOf(KafkaSettings.IMAGE) + ") is not a Docker image name: " + e.getMessage()
                    + ". Use a name such as apache/kafka:4.4.0 or registry.example.com/apache/kafka-native:4.4.0.", e);
        }
        KafkaContainer kafka = new KafkaContainer(name)
                .withEnv("KAFKA_CONTROLLER_QUORUM_APPEND_LINGER_MS", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1")
                // the user's bound on a server start, not Testcontainers' own 60 s (a busy machine needs more)
                .withStartupTimeout(configuration.get(dev.cleanroom.core.CoreSettings.SERVER_START_TIMEOUT))
                .withReuse(reuse);
        String token = ContainerState.newStartToken();
        if (!reuse) { // a label of its own would change the reused container's hash
            kafka.withLabel(ContainerState.START_LABEL, token);
        }
        try {
            requireImage(name, configuration.get(CoreSettings.SERVER_START_TIMEOUT));
            kafka.start();
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            kafka.stop();
            if (!reuse) {
                ContainerState.removeAbandoned(token).ifPresent(e::addSuppressed);
            }
            throw new IllegalStateException("The Kafka container of image '" + image + "' (" + KafkaSettings.IMAGE.key()
                    + " from " + configuration.sourceOf(KafkaSettings.IMAGE) + ") did not start: " + rootMessage(e)
                    + ". If the image cannot be pulled here, set " + KafkaSettings.IMAGE.key()
                    + " to an apache/kafka or apache/kafka-native compatible image that this Docker engine has"
                    + " or can pull. " + Configuration.howToSet(KafkaSettings.IMAGE.key(), "<image>"), e);
        }
        this.container = kafka;
    }

    /**
     * Testcontainers retries a failing pull for minutes; one attempt here, bounded by the
     * server start timeout, fails fast (say, no registry) with the setting's name instead.
     */
    private static void requireImage(DockerImageName name, java.time.Duration startTimeout) throws InterruptedException {
        com.github.dockerjava.api.DockerClient docker = org.testcontainers.DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(name.asCanonicalNameString()).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException notLocal) {
            docker.pullImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart()).start()
                    .awaitCompletion(startTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder chain = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            chain.append(" <- ").append(c.getMessage());
        }
        return chain.toString();
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String describe() {
        return "testcontainers (" + image + (reuse ? ", reused" : "") + ContainerState.describe(container.getContainerId()) + ")";
    }

    @Override
    public java.util.Optional<String> whyGone() {
        return ContainerState.whyGone(container.getContainerId());
    }

    @Override
    public boolean shared() {
        return reuse;
    }

    /** Stops the container unless it is kept for reuse. */
    @Override
    public void close() {
        if (!reuse) {
            container.stop();
        }
    }
}
