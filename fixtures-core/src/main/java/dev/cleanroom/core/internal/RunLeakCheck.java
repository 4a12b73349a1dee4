package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Leak;
import dev.cleanroom.core.LeakException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * The leak check of a whole JUnit run, kept in the root context's store: it installs the
 * uncaught-exception handler when the run starts and, when the run ends (the store closes
 * it), lists threads started during the run that are still alive and that no test owns,
 * and exceptions no test could be blamed for. By {@code cleanroom.leaks} it fails the run
 * (the engine's container) or prints them; the run summary lists them either way. This is
 * what checks untracked threads under parallel execution, where no single test can be
 * blamed for one. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class RunLeakCheck implements AutoCloseable {

    static final String OWNER = "the run (work that no test can be blamed for)";
    private static final List<Leak> FOR_SUMMARY = new ArrayList<>(); // guarded by itself

    private final HelperSettings settings;
    private final Set<Thread> baseline = ThreadLeaks.snapshot();
    private final long madeBefore = ThreadOrigins.mark(); // threads the run's tests made come after
    private final Set<String> userIgnores = ConcurrentHashMap.newKeySet();
    private final ExceptionBucket exceptions = new ExceptionBucket(OWNER);
    private final Runnable uninstall;

    RunLeakCheck(HelperSettings settings) {
        this.settings = settings;
        if (settings.ignoreThreads() != null) {
            userIgnores.add(settings.ignoreThreads());
        }
        this.uninstall = UncaughtExceptions.install(exceptions);
    }

    /** Threads matching these regexes ({@code @IgnoreLeakedThreads} somewhere in the run) are not listed either. */
    void ignoreAlso(List<String> regexes) {
        userIgnores.addAll(regexes);
    }

    @Override
    public void close() {
        List<Leak> leaks = new ArrayList<>();
        try {
            for (Thread thread : ThreadLeaks.leakedSince(baseline, settings.linger(),
                    ThreadFilter.ignoring(List.copyOf(userIgnores)))) {
                leaks.add(ThreadLeaks.leakOf(thread, OWNER,
                        "was started during the run and is still alive at its end; no test owns it",
                        ThreadOrigins.originOf(thread, madeBefore)));
            }
            leaks.addAll(exceptions.drain());
        } finally {
            uninstall.run();
        }
        synchronized (FOR_SUMMARY) {
            FOR_SUMMARY.addAll(leaks);
        }
        LeakException failure = LeakReporting.report(OWNER, leaks, settings.leaks());
        if (failure != null) {
            throw failure;
        }
    }

    /** For the run summary: what run-end checks found since the last call, or null if nothing. */
    public static String drainSummary() {
        List<Leak> leaks;
        synchronized (FOR_SUMMARY) {
            leaks = List.copyOf(FOR_SUMMARY);
            FOR_SUMMARY.clear();
        }
        if (leaks.isEmpty()) {
            return null;
        }
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder("[cleanroom] run end: ").append(leaks.size())
                .append(leaks.size() == 1 ? " leak" : " leaks").append(" that no test could be blamed for:");
        int n = 1;
        for (Leak leak : leaks) {
            text.append(nl).append("  ").append(n++).append(". ").append(leak.report());
        }
        return text.toString();
    }
}
