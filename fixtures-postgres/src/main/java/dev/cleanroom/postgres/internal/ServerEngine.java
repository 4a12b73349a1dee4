package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.RunningEngine;
import org.apiguardian.api.API;

/** A started (or connected) PostgreSQL server. Closing stops what this run started. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public interface ServerEngine extends RunningEngine {

    Endpoint endpoint();

    /** Whether this run owns the server outright (a fresh container or embedded server), so it may tune it. */
    boolean ownsServer();
}
