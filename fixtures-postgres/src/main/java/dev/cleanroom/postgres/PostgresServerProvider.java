package dev.cleanroom.postgres;

import static org.apiguardian.api.API.Status.STABLE;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.Setting;
import dev.cleanroom.core.spi.SharedServerProvider;
import dev.cleanroom.postgres.internal.PostgresServer;
import org.apiguardian.api.API;

/** Starts the suite's shared PostgreSQL server on the configured engine. Named by {@link IsolatedPostgres}. */
@API(status = STABLE, since = "0.1")
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
