package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.EngineProvider;
import dev.cleanroom.kafka.KafkaSettings;
import org.apiguardian.api.API;

/** Starts the suite's Kafka broker on the configured engine. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class KafkaServerProvider extends EngineProvider<Broker, KafkaServer> {

    public KafkaServerProvider() {
        super("kafka", KafkaSettings.ENGINE, ContainerBroker::new, EmbeddedBroker::new, ExternalBroker::new,
                (broker, kind, configuration) -> new KafkaServer(broker, configuration));
    }
}
