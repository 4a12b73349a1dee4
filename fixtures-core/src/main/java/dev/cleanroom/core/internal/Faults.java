package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Named steps of a server's construction where a test can inject one failure, to prove
 * that a start failing at that step leaves nothing behind. Disarmed (the default) a check
 * costs one volatile read. Internal, for Cleanroom's own tests: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class Faults {

    private static volatile String armed;

    private Faults() {}

    /** The next {@link #check} of {@code step}, on any thread, throws once. */
    public static void arm(String step) {
        armed = step;
    }

    public static void disarm() {
        armed = null;
    }

    /** Throws an {@link InjectedFault} if {@code step} is armed (and disarms it). */
    public static void check(String step) {
        String current = armed;
        if (current != null && current.equals(step)) {
            armed = null;
            throw new InjectedFault(step);
        }
    }

    /** The failure a test injected. */
    public static final class InjectedFault extends RuntimeException {
        InjectedFault(String step) {
            super("injected fault at " + step);
        }
    }
}
