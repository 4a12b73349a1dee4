package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.kafka.KafkaSettings;
import org.apiguardian.api.API;

/** The external engine: a cluster the user runs. Nothing to start or stop. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class ExternalBroker implements Broker {

    private final String bootstrapServers;

    ExternalBroker(Configuration configuration) {
        this.bootstrapServers = configuration.require(KafkaSettings.BOOTSTRAP_SERVERS,
                "because " + KafkaSettings.ENGINE.key() + "=external connects to a Kafka cluster you run"
                        + " (e.g. localhost:9092)");
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public String describe() {
        return "external";
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
