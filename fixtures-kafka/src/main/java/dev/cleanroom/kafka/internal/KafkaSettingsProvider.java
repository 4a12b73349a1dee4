package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Setting;
import dev.cleanroom.core.spi.SettingsProvider;
import dev.cleanroom.kafka.KafkaSettings;
import java.util.Collection;
import org.apiguardian.api.API;

/** Declares {@link KafkaSettings} to core. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class KafkaSettingsProvider implements SettingsProvider {
    @Override
    public Collection<Setting<?>> settings() {
        return KafkaSettings.ALL;
    }
}
