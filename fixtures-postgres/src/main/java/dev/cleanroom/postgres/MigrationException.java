package dev.cleanroom.postgres;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A migration script failed: the message names the script, the line and the statement,
 * and what the server said. Nothing the failed migration created is left behind.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MigrationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
