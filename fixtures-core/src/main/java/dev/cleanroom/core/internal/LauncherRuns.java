package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.PlannedTest;
import dev.cleanroom.core.spi.RunStatistics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Ties a JUnit run's {@link RunStatistics} (kept in its root store) to the test plan
 * execution and the launcher session that execute it, so that the summary listener
 * reports exactly its own runs. The listener marks every test and class it sees start as
 * executing in its plan execution; a run binds to the plan executing the test or class
 * that first asks for its statistics. A run nested in a test (EngineTestKit) executes
 * classes that the outer plan never started, so it binds to nothing and is never reported.
 *
 * <p>A launcher session ({@link Lifetime}) can execute many plans: surefire with
 * {@code forkCount > 1} executes each test class as a plan of its own in one session per
 * forked JVM. The runs of one session share one {@link RunStatistics} (one summary, at
 * the session's end) and hold the shared servers until the session ends. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class LauncherRuns {

    private static final Map<String, Session> EXECUTING = new ConcurrentHashMap<>(); // unique id -> session
    private static final Deque<Lifetime> OPEN = new ArrayDeque<>(); // guarded by itself; innermost first

    private LauncherRuns() {}

    /**
     * One launcher session: the statistics its runs share, and what it holds until it ends
     * (the shared servers its runs used, the summary), closed in reverse order.
     */
    public static final class Lifetime {
        private final RunStatistics statistics = RunStatistics.detached();
        private final List<RunStatistics> runs = new CopyOnWriteArrayList<>(); // bound to its plans
        private final Deque<AutoCloseable> closers = new ArrayDeque<>(); // guarded by this
        private final Set<Object> keys = new HashSet<>(); // guarded by this
        private boolean closed; // guarded by this

        /** The statistics every run of this session adds to. */
        public RunStatistics statistics() {
            return statistics;
        }

        /** The runs of this session's plans (normally just {@link #statistics()}). */
        public List<RunStatistics> runs() {
            return List.copyOf(runs);
        }

        /**
         * Keeps what {@code make} returns until the session ends, once per {@code key}; does
         * nothing once the session has ended. Returns whether it is kept.
         */
        public boolean holdOnce(Object key, Supplier<? extends AutoCloseable> make) {
            synchronized (this) {
                if (closed || !keys.add(key)) {
                    return !closed;
                }
                closers.push(make.get());
                return true;
            }
        }

        /** Closes what the session holds, newest first; one failure never stops the others. */
        void close() {
            List<AutoCloseable> all;
            synchronized (this) {
                closed = true;
                all = new ArrayList<>(closers);
                closers.clear();
            }
            for (AutoCloseable closer : all) {
                try {
                    closer.close();
                } catch (OutOfMemoryError e) {
                    throw e;
                } catch (Throwable e) { // report it, and close the rest
                    System.err.println("[cleanroom] at the end of the launcher session: " + e);
                }
            }
        }
    }

    /** A launcher session opened (on this thread); it is the current one until it closes. */
    static Lifetime opened() {
        Lifetime lifetime = new Lifetime();
        synchronized (OPEN) {
            OPEN.push(lifetime);
        }
        return lifetime;
    }

    /** The launcher session ended: closes what it holds. */
    static void closed(Lifetime lifetime) {
        synchronized (OPEN) {
            OPEN.remove(lifetime);
        }
        lifetime.close();
    }

    /** The innermost open launcher session, or null. */
    static Lifetime current() {
        synchronized (OPEN) {
            return OPEN.peek();
        }
    }

    /** The test plan execution that executes {@code uniqueId} (a test or class) right now, or null. */
    public static Session sessionOf(String uniqueId) {
        return EXECUTING.get(uniqueId);
    }

    /** The launcher session that executes {@code uniqueId} (a test or class) right now, or null. */
    public static Lifetime lifetimeOf(String uniqueId) {
        Session session = EXECUTING.get(uniqueId);
        return session == null ? null : session.lifetime;
    }

    /** One test plan execution, its planned tests and the runs bound to it. */
    public static final class Session {
        private final List<RunStatistics> runs = new CopyOnWriteArrayList<>();
        private final List<PlannedTest> planned;
        private final Lifetime lifetime;
        private final Set<String> parameterKeys;

        public Session(List<PlannedTest> planned) {
            this(planned, null, Set.of());
        }

        Session(List<PlannedTest> planned, Lifetime lifetime, Set<String> parameterKeys) {
            this.planned = List.copyOf(planned);
            this.lifetime = lifetime;
            this.parameterKeys = Set.copyOf(parameterKeys);
        }

        /** The {@code cleanroom.*} keys of the plan's configuration parameters, which Jupiter cannot list. */
        public Set<String> parameterKeys() {
            return parameterKeys;
        }

        /** The launcher session this plan executes in, or null if none is known. */
        public Lifetime lifetime() {
            return lifetime;
        }

        /** The Jupiter test methods of the session's test plan. */
        public List<PlannedTest> planned() {
            return planned;
        }

        /** The runs executed by this session. */
        public List<RunStatistics> runs() {
            return List.copyOf(runs);
        }
    }

    /** A test or class of {@code session} started executing. */
    public static void started(String uniqueId, Session session) {
        EXECUTING.put(uniqueId, session);
    }

    /** A test or class of {@code session} finished (or was skipped). */
    public static void finished(String uniqueId, Session session) {
        EXECUTING.remove(uniqueId, session);
    }

    /** Binds {@code run} to the session executing {@code uniqueId}, if any; that session, or null. */
    public static Session bind(String uniqueId, RunStatistics run) {
        Session session = EXECUTING.get(uniqueId);
        if (session == null) {
            return null;
        }
        synchronized (session) {
            if (!session.runs.contains(run)) {
                session.runs.add(run);
            }
            if (session.lifetime != null) {
                synchronized (session.lifetime) {
                    if (!session.lifetime.runs.contains(run)) {
                        session.lifetime.runs.add(run);
                    }
                }
            }
        }
        return session;
    }
}
