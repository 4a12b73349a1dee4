package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** A server someone else runs. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public record ExternalEngine(Endpoint endpoint) implements ServerEngine {
    @Override
    public boolean ownsServer() {
        return false;
    }

    @Override
    public String describe() {
        return "external " + endpoint.jdbcUrl();
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
