package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.spi.EngineProvider;
import dev.cleanroom.postgres.PostgresSettings;
import org.apiguardian.api.API;

/** Starts the suite's shared PostgreSQL server on the configured engine. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class PostgresServerProvider extends EngineProvider<ServerEngine, PostgresServer> {

    public PostgresServerProvider() {
        super("postgres", PostgresSettings.ENGINE,
                cfg -> ContainerEngine.start(cfg.get(PostgresSettings.IMAGE), cfg.get(PostgresSettings.REUSE)),
                cfg -> EmbeddedEngine.start(cfg.get(PostgresSettings.EMBEDDED_OS_USER), PostgresSettings.EMBEDDED_OS_USER.key()),
                cfg -> new ExternalEngine(Endpoint.parse(cfg.require(PostgresSettings.URL, "because cleanroom.postgres.engine="
                                + "external (from " + cfg.sourceOf(PostgresSettings.ENGINE) + ")"), cfg.get(PostgresSettings.USER),
                        cfg.get(PostgresSettings.PASSWORD), PostgresSettings.URL.key())),
                (server, kind, cfg) -> PostgresServer.connect(kind, server, cfg));
    }

    @Override
    protected Exception explain(ServerEngine server, Engine kind, Configuration configuration, Exception failure) {
        return PostgresServer.explain(kind, server, configuration, failure);
    }
}
