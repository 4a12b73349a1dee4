package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.PlannedTest;
import dev.cleanroom.core.spi.RunStatistics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * Ties a JUnit run's {@link RunStatistics} (kept in its root store) to the launcher
 * session that executes it, so that the summary listener reports exactly its own run.
 * The listener marks every test and class it sees start as executing in its session; a
 * run binds to the session that is executing the test or class that first asks for its
 * statistics. A run nested in a test (EngineTestKit) executes classes that the outer
 * session never started, so it binds to nothing and is never reported. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class LauncherRuns {

    private static final Map<String, Session> EXECUTING = new ConcurrentHashMap<>(); // unique id -> session

    private LauncherRuns() {}

    /** One launcher session (test plan execution), its planned tests and the runs bound to it. */
    public static final class Session {
        private final List<RunStatistics> runs = new CopyOnWriteArrayList<>();
        private final List<PlannedTest> planned;

        public Session(List<PlannedTest> planned) {
            this.planned = List.copyOf(planned);
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
        }
        return session;
    }
}
