package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.Setting;
import dev.cleanroom.core.spi.SharedServerProvider;
import dev.cleanroom.kafka.KafkaSettings;
import org.apiguardian.api.API;

/** Starts the suite's Kafka broker on the configured engine. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class KafkaServerProvider implements SharedServerProvider<KafkaServer> {

    public KafkaServerProvider() {}

    @Override
    public String technology() {
        return "kafka";
    }

    @Override
    public Setting<Engine> engineSetting() {
        return KafkaSettings.ENGINE;
    }

    @Override
    public KafkaServer start(Engine engine, Configuration configuration) throws Exception {
        Broker broker = switch (engine) {
            case TESTCONTAINERS -> new ContainerBroker(configuration);
            case EMBEDDED -> new EmbeddedBroker(configuration);
            case EXTERNAL -> new ExternalBroker(configuration);
            case AUTO -> throw new IllegalArgumentException("core resolves auto before start");
        };
        try {
            return new KafkaServer(broker, configuration);
        } catch (Exception | Error e) {
            try {
                broker.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
