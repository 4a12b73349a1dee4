package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Setting;
import dev.cleanroom.core.spi.SettingsProvider;
import dev.cleanroom.postgres.PostgresSettings;
import java.util.Collection;
import org.apiguardian.api.API;

/** Declares {@link PostgresSettings#ALL} to core's configuration. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class PostgresSettingsProvider implements SettingsProvider {
    @Override
    public Collection<Setting<?>> settings() {
        return PostgresSettings.ALL;
    }
}
