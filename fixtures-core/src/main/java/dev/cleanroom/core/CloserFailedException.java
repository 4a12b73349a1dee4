package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** A closer threw; the message names the closer, the cause is what it threw. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CloserFailedException extends RuntimeException {

    public CloserFailedException(String description, Throwable cause) {
        super("'" + description + "' failed: " + cause, cause);
    }
}
