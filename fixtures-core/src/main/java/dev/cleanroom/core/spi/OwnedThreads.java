package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/**
 * Names of threads that belong to clients a fixture made and still has open (a test's
 * Kafka producer, say): leak detection never blames such a thread on a test while its
 * client is open, since the fixture closes it in the test's teardown. Register when the
 * client is made, release when it is closed. Thread-safe; JVM-wide.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class OwnedThreads {

    private static final Map<String, Integer> OPEN = new ConcurrentHashMap<>();

    private OwnedThreads() {}

    /** The thread named exactly {@code threadName} belongs to an open client of a fixture; run the result on close. */
    public static Runnable register(String threadName) {
        OPEN.merge(threadName, 1, Integer::sum);
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                OPEN.computeIfPresent(threadName, (k, n) -> n == 1 ? null : n - 1);
            }
        };
    }

    /** Whether a thread of this name belongs to an open client of a fixture. */
    public static boolean isOwned(String threadName) {
        return OPEN.containsKey(threadName);
    }
}
