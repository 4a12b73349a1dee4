package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** What a leak found at teardown does ({@code cleanroom.leaks}). */
@API(status = STABLE, since = "0.1")
public enum LeakPolicy {
    /** The test fails with the leak report. The default. */
    FAIL,
    /** The leak report is printed; the test passes. */
    WARN,
    /** Leaks are not looked for. */
    OFF
}
