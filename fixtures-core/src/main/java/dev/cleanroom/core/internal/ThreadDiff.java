package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Leak;
import dev.cleanroom.core.LeakPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * The one thread leak check of a test, a class or a plain-code scope: the threads started
 * since it began that are still alive when it ends (after {@code cleanroom.leaks.linger}),
 * minus ignored and already reported ones, and the exceptions that killed threads created
 * on the thread that began it. The JUnit extension begins one around each test and class
 * ({@link #aroundTest}); {@code TaskTracker.in} around its scope ({@link #aroundScope}).
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadDiff {

    private final HelperSettings settings;
    private final Set<Thread> baseline; // null: no diff (leaks off, or tests run in parallel)
    private final Predicate<Thread> ignored;
    private final ExceptionBucket exceptions; // null: no thread claimed
    private final ExceptionBucket journal; // whose journal of threads made tells where a leaked one was made; may be null
    private final Runnable restore; // run once, on end
    private final ThreadLineage lineage; // null: every new thread counts
    private volatile Predicate<Thread> alsoOurs = t -> false;

    private ThreadDiff(HelperSettings settings, Set<Thread> baseline, Predicate<Thread> ignored,
                       ExceptionBucket exceptions, ExceptionBucket journal, Runnable restore, ThreadLineage lineage) {
        this.settings = settings;
        this.baseline = baseline;
        this.ignored = ignored;
        this.exceptions = exceptions;
        this.journal = journal;
        this.restore = restore;
        this.lineage = lineage;
    }

    /**
     * Begins on a test's (or class's) thread: threads created on it from now on give their
     * uncaught exceptions to {@code owner}. When tests run one at a time, also remembers the
     * threads alive now (in parallel no diff can tell whose a new thread is).
     */
    public static ThreadDiff aroundTest(String owner, HelperSettings settings, boolean parallel,
                                        List<String> ignoreRegexes) {
        if (settings.leaks() == LeakPolicy.OFF) {
            return off(settings);
        }
        ExceptionBucket bucket = new ExceptionBucket(owner);
        Runnable restore = UncaughtExceptions.enter(bucket, !parallel);
        return new ThreadDiff(settings, parallel ? null : ThreadLeaks.snapshot(), ignoring(settings, ignoreRegexes),
                bucket, bucket, restore, null);
    }

    /**
     * Begins for a plain-code scope on its thread: remembers the threads alive now, marks
     * the calling thread's lineage (only threads made on it, or by work the scope tracked,
     * are judged: under parallel execution other tests' threads are not the scope's), and
     * installs the uncaught-exception handler until the end (so tracked threads report to
     * their tracker). Opened inside a test, a leaked thread's origin is looked up among the
     * threads that test made.
     */
    public static ThreadDiff aroundScope(String scope, HelperSettings settings) {
        if (settings.leaks() == LeakPolicy.OFF) {
            return off(settings);
        }
        Set<Thread> baseline = ThreadLeaks.snapshot();
        ThreadLineage lineage = ThreadLineage.begin(scope);
        Runnable uninstall = UncaughtExceptions.install(null);
        return new ThreadDiff(settings, baseline, ignoring(settings, List.of()), null, UncaughtExceptions.inherited(),
                () -> {
                    try {
                        uninstall.run();
                    } finally {
                        if (lineage != null) {
                            lineage.end();
                        }
                    }
                }, lineage);
    }

    private static ThreadDiff off(HelperSettings settings) {
        return new ThreadDiff(settings, null, t -> true, null, null, () -> { }, null);
    }

    /** Threads that count as the scope's too, whatever their lineage (the threads its tracker made or adopted). */
    public void alsoOurs(Predicate<Thread> tracked) {
        this.alsoOurs = tracked;
    }

    /**
     * Ends the check ({@code owner} names the test or scope in reports): the leaked
     * threads, then the uncaught exceptions collected. Call once, on the thread that began it.
     */
    public List<Leak> end(String owner) {
        List<Leak> found = new ArrayList<>();
        try {
            if (baseline != null) {
                Predicate<Thread> notOurs = lineage == null ? t -> false
                        : t -> !lineage.contains(t) && !alsoOurs.test(t);
                for (Thread thread : ThreadLeaks.leakedSince(baseline, settings.linger(), ignored.or(notOurs))) {
                    found.add(ThreadLeaks.leakOf(thread, owner, journal));
                }
            }
        } finally {
            restore.run(); // after the linger: a thread dying meanwhile still reports here
        }
        if (exceptions != null) {
            found.addAll(exceptions.drain());
        }
        return found;
    }

    private static Predicate<Thread> ignoring(HelperSettings settings, List<String> regexes) {
        List<String> all = new ArrayList<>(regexes);
        if (settings.ignoreThreads() != null) {
            all.add(settings.ignoreThreads());
        }
        return ThreadLeaks.ignoring(all);
    }
}
