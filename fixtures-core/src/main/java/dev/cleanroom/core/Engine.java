package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * How a fixture obtains its shared server. Chosen per technology by configuration, for
 * example {@code cleanroom.kafka.engine=embedded}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Engine {
    /** Testcontainers when a Docker engine answers, else embedded. The default. */
    AUTO,
    /** One container per suite, started by Testcontainers. Needs a Docker engine. */
    TESTCONTAINERS,
    /** An in-process or child-process server from Maven Central artifacts. No Docker. */
    EMBEDDED,
    /** A server you already run; its address comes from configuration. */
    EXTERNAL;

    /** The spelling used in configuration: {@code testcontainers}. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
