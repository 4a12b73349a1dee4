package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.security.SecureRandom;
import org.apiguardian.api.API;

/**
 * The id of this JVM's test run: 10 characters of {@code [a-z0-9]}, the first six the
 * start time in seconds (base 36, so ids sort by age), the rest random. Every name the
 * run creates (topics, groups, schemas) begins with {@code cr} and this id, so several
 * JVMs, forks or machines can share one server, and leftovers of a dead run can be found.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RunId {

    private static final String CURRENT = generate();

    private RunId() {}

    /** This JVM's run id. */
    public static String current() {
        return CURRENT;
    }

    /** The start time (epoch seconds) encoded in a run id, or -1 if it is not one. */
    public static long startedAtEpochSecond(String runId) {
        if (runId == null || !runId.matches("[a-z0-9]{10}")) {
            return -1;
        }
        return Long.parseLong(runId.substring(0, 6), 36);
    }

    static String generate() {
        String time = Long.toString(System.currentTimeMillis() / 1000, 36);
        time = time.length() >= 6 ? time.substring(time.length() - 6) : "000000".substring(time.length()) + time;
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder(time);
        for (int i = 0; i < 4; i++) {
            id.append(Character.forDigit(random.nextInt(36), 36));
        }
        return id.toString();
    }
}
