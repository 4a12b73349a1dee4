package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.RunningEngine;
import org.apiguardian.api.API;

/** A running broker of one engine. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public interface Broker extends RunningEngine {

    /** Bootstrap servers for clients. */
    String bootstrapServers();

    /** Whether other runs may share this broker (then a lease is kept and dead runs' leftovers are cleaned). */
    boolean shared();
}
