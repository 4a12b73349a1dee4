package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.RunId;
import dev.cleanroom.core.spi.OwnedThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Which threads leak detection never blames on a test: threads of the JVM, the build tool
 * and JUnit; Cleanroom's own threads, recognized by the names Cleanroom gives them
 * ({@code cleanroom-*} threads and HikariCP pools, its long-lived Kafka clients whose id
 * starts with this run's {@code cr<run>_} prefix, the threads of the clients a fixture has
 * open right now, by exact name: {@link OwnedThreads}) or by the shared-server thread group; a
 * few JVM-wide library singletons that no test owns; and what the user lists. Every other
 * thread a test started and left running is a leak. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadFilter {

    /** Threads of the JVM, build tools and JUnit. */
    static final List<String> PLATFORM = List.of(
            "Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner", "Attach Listener",
            "Notification Thread", "DestroyJavaVM", "process reaper.*",
            "Monitor Ctrl-Break", "surefire-forkedjvm-.*", "JFR .*", "Keep-Alive-.*", "InnocuousThread-.*",
            "Java2D Disposer", "AWT-.*", "RMI .*", "GC Daemon", "Cleaner-.*", "Read-Poller", "Write-Poller",
            "VirtualThread-.*", "junit-.*", "ForkJoinPool\\.commonPool-.*", "ForkJoinPool-\\d+-delayScheduler");

    /** JUnit's parallel executor and the carriers of virtual threads: ForkJoinPool-N-worker-M threads of these. */
    private static final List<String> POOL_THREAD_CLASSES = List.of("org.junit.", "jdk.internal.");

    /**
     * JVM-wide singletons of libraries: made once by whichever test used the library first,
     * shared by all later ones, never owned (or closable) by a test.
     */
    static final List<String> LIBRARY_SINGLETONS = List.of(
            "PostgreSQL-JDBC-Cleaner", // pgjdbc's LazyCleaner: ends by itself when idle
            "CircuitBreakerAutoTransitionThread", // Resilience4j's one scheduler for all breakers
            "testcontainers-ryuk", "testcontainers-wait-.*", "ducttape-.*", // Testcontainers' JVM-wide helpers
            "Okio Watchdog", "OkHttp ConnectionPool", "OkHttp TaskRunner.*"); // docker-java's shared HTTP client

    private static final Pattern BUILT_IN = Pattern.compile(
            String.join("|", PLATFORM) + "|" + String.join("|", LIBRARY_SINGLETONS) + "|cleanroom-.*");

    private ThreadFilter() {}

    /**
     * A filter of threads that are never a test's leak: the built-in ones above, Cleanroom's
     * own, plus {@code extraRegexes} (matched against the whole thread name).
     */
    public static Predicate<Thread> ignoring(List<String> extraRegexes) {
        List<Pattern> extra = new ArrayList<>();
        for (String regex : extraRegexes) {
            extra.add(Pattern.compile(regex));
        }
        String ours = "cr" + RunId.current() + "_";
        return thread -> {
            String name = thread.getName();
            if (BUILT_IN.matcher(name).matches() || ThreadKinds.isClientOf(name, ours) || OwnedThreads.isOwned(name)
                    || ThreadLeaks.inSharedServerGroup(thread) || platformPoolThread(thread)) {
                return true;
            }
            for (Pattern p : extra) {
                if (p.matcher(name).matches()) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean platformPoolThread(Thread thread) {
        String type = thread.getClass().getName();
        return thread.getName().startsWith("ForkJoinPool-") && POOL_THREAD_CLASSES.stream().anyMatch(type::startsWith);
    }
}
