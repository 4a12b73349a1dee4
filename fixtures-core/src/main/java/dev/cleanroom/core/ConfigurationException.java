package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A setting is misspelt, has a value that is not allowed, or is missing where it is
 * required. The message names the key, where the value came from, and what to set.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
