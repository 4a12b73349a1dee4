package dev.cleanroom.core;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for tests: every wait ends, with a failure that says what did not happen. */
public final class Waits {

    public static final Duration LIMIT = Duration.ofSeconds(10);

    private Waits() {}

    /** Polls {@code condition} every millisecond until it holds; fails after {@link #LIMIT}. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + LIMIT.toSeconds() + " s for " + what + ", in vain");
            }
            Thread.sleep(1);
        }
    }
}
