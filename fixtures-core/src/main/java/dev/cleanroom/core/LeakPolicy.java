package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What a leak found at teardown does ({@code cleanroom.leaks}): a leaked thread, task or
 * unread failed future, or an exception lost in a thread or an executor task. What no test
 * can be blamed for is found when the run ends, and fails or warns the run the same way.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum LeakPolicy {
    /** The test fails with the leak report. The default. */
    FAIL,
    /** The leak report is printed; the test passes. */
    WARN,
    /** Leaks are not looked for. */
    OFF
}
