package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Leak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Snapshot-and-diff of live threads: which threads started since a snapshot are still
 * alive, after a short linger, minus the threads nobody should blame the test for.
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadLeaks {

    /**
     * Shared servers start on threads of this group, so every thread they spawn (broker
     * threads, container log followers) inherits it and is never blamed on a test.
     */
    public static final ThreadGroup SHARED_SERVER_GROUP = new ThreadGroup("cleanroom-shared-servers");

    /** Threads of the JVM, of JUnit and of Cleanroom, and client threads that our fixtures close themselves. */
    public static final List<String> BUILT_IN_IGNORES = List.of(
            // JVM and build tools
            "Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner", "Attach Listener",
            "Notification Thread", "DestroyJavaVM", "process reaper.*", "ForkJoinPool\\.commonPool-worker-.*",
            "Monitor Ctrl-Break", "surefire-forkedjvm-.*", "JFR .*", "Keep-Alive-.*", "InnocuousThread-.*",
            "Java2D Disposer", "AWT-.*", "RMI .*", "GC Daemon", "Cleaner-.*",
            // JUnit (timeouts, parallel execution)
            "junit-.*", "ForkJoinPool-\\d+-worker-.*",
            // Cleanroom itself
            "cleanroom-.*",
            // clients that Cleanroom's fixtures create and close
            "kafka-producer-network-thread.*", "kafka-admin-client-thread.*", "kafka-coordinator-heartbeat-thread.*",
            "consumer_background_thread.*", "kafka-share-consumer.*",
            ".* housekeeper", ".* connection adder", ".* connection closer", "HikariPool-.*",
            "PostgreSQL-JDBC-.*", "testcontainers.*", "docker-java.*", "ducttape-.*", "Okio Watchdog",
            "OkHttp .*", "CircuitBreakerAutoTransitionThread.*", "awaitility.*");

    private static final Pattern BUILT_IN = Pattern.compile(String.join("|", BUILT_IN_IGNORES));
    private static final Set<Thread> REPORTED = Collections.newSetFromMap(new WeakHashMap<>()); // guarded by REPORTED

    private ThreadLeaks() {}

    /** Every live platform thread of the JVM. */
    public static Set<Thread> snapshot() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 32];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        Set<Thread> set = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        set.addAll(Arrays.asList(threads).subList(0, n));
        return set;
    }

    /** A filter: built-in ignores, the shared-server group, plus {@code extraRegexes}. */
    public static Predicate<Thread> ignoring(List<String> extraRegexes) {
        List<Pattern> extra = new ArrayList<>();
        for (String regex : extraRegexes) {
            extra.add(Pattern.compile(regex));
        }
        return thread -> {
            String name = thread.getName();
            if (BUILT_IN.matcher(name).matches() || inSharedServerGroup(thread)) {
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

    /**
     * Threads alive now that were not in {@code baseline}, are not ignored and were not
     * reported before, after waiting up to {@code linger} for them to die. The returned
     * threads are marked as reported.
     */
    public static List<Thread> leakedSince(Set<Thread> baseline, Duration linger, Predicate<Thread> ignored) {
        long deadline = System.nanoTime() + linger.toNanos();
        List<Thread> candidates = candidates(baseline, ignored);
        while (!candidates.isEmpty() && System.nanoTime() < deadline) {
            try {
                candidates.get(0).join(Math.max(1, Math.min(20, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            candidates = candidates(baseline, ignored);
        }
        synchronized (REPORTED) {
            candidates.removeIf(t -> !REPORTED.add(t));
        }
        return candidates;
    }

    /** Marks threads as reported (e.g. by a TaskTracker) so that the thread diff does not report them again. */
    public static void markReported(Thread thread) {
        synchronized (REPORTED) {
            REPORTED.add(thread);
        }
    }

    /** A leak entry for a thread found by the diff. */
    public static Leak leakOf(Thread thread, String owner) {
        return new Leak(Leak.Kind.THREAD, owner, "thread '" + thread.getName() + "' (" + thread.getState()
                + (thread.isDaemon() ? ", daemon" : "") + ") was started during the test and is still alive after teardown",
                Arrays.asList(thread.getStackTrace()), TrackedWork.creationOf(thread), null);
    }

    private static List<Thread> candidates(Set<Thread> baseline, Predicate<Thread> ignored) {
        List<Thread> found = new ArrayList<>();
        Thread self = Thread.currentThread();
        for (Thread t : snapshot()) {
            if (t != self && t.isAlive() && !baseline.contains(t) && !ignored.test(t)) {
                synchronized (REPORTED) {
                    if (REPORTED.contains(t)) {
                        continue;
                    }
                }
                found.add(t);
            }
        }
        return found;
    }

    private static boolean inSharedServerGroup(Thread thread) {
        for (ThreadGroup g = thread.getThreadGroup(); g != null; g = g.getParent()) {
            if (g == SHARED_SERVER_GROUP) {
                return true;
            }
        }
        return false;
    }
}
