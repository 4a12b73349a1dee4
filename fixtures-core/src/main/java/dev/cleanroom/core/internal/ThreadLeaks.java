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

    /** See {@link ThreadFilter#ignoring}. */
    public static Predicate<Thread> ignoring(List<String> extraRegexes) {
        return ThreadFilter.ignoring(extraRegexes);
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

    /**
     * A leak entry for a thread found by a test's diff; {@code journal} is the test's
     * (its exception bucket), whose journal of threads made tells where an untracked one
     * was made; null when there is none.
     */
    public static Leak leakOf(Thread thread, String owner, ExceptionBucket journal) {
        return leakOf(thread, owner, "was started during the test and is still alive after teardown",
                journal == null ? new ThreadOrigins.Found(List.of(), "") : ThreadOrigins.originOf(thread, journal));
    }

    /**
     * A leak entry for a thread: its name, state, what {@code happened}, what kind of thread
     * it is if known, and where it was made (a tracker's record, else {@code untracked}).
     */
    public static Leak leakOf(Thread thread, String owner, String happened, ThreadOrigins.Found untracked) {
        String kind = ThreadKinds.describe(thread.getName()).map(k -> ": " + k).orElse("");
        List<StackTraceElement> tracked = TrackedWork.creationOf(thread);
        return new Leak(Leak.Kind.THREAD, owner, "thread '" + thread.getName() + "' (" + thread.getState()
                + (thread.isDaemon() ? ", daemon" : "") + ") " + happened + kind + (tracked.isEmpty() ? untracked.note() : ""),
                Arrays.asList(thread.getStackTrace()), tracked.isEmpty() ? untracked.stack() : tracked, null);
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

    static boolean inSharedServerGroup(Thread thread) {
        for (ThreadGroup g = thread.getThreadGroup(); g != null; g = g.getParent()) {
            if (g == SHARED_SERVER_GROUP) {
                return true;
            }
        }
        return false;
    }
}
