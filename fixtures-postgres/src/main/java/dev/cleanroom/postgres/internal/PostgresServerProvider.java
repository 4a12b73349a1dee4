package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.Setting;
import dev.cleanroom.core.spi.SharedServerProvider;
import dev.cleanroom.postgres.PostgresSettings;
import org.apiguardian.api.API;

/** Starts the suite's shared PostgreSQL server on the configured engine. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class PostgresServerProvider implements SharedServerProvider<PostgresServer> {

    @Override
    public String technology() {
        return "postgres";
    }

    @Override
    public Setting<Engine> engineSetting() {
        return PostgresSettings.ENGINE;
    }

    @Override
    public PostgresServer start(Engine engine, Configuration configuration) throws Exception {
        return PostgresServer.start(engine, configuration);
    }
}
