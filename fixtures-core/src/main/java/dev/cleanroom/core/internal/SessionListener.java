package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apiguardian.api.API;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives Cleanroom's run-wide state the lifetime of the launcher session rather than of one
 * test plan execution: surefire with {@code forkCount > 1} executes each test class as a
 * plan of its own, in one session per forked JVM. While the session is open the shared
 * servers its runs used stay up, and its runs add to one run summary; when it closes, the
 * servers are stopped and the summary is printed. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SessionListener implements LauncherSessionListener {

    private static final Map<LauncherSession, LauncherRuns.Lifetime> OPEN = new IdentityHashMap<>(); // guarded by itself

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LauncherRuns.Lifetime lifetime = LauncherRuns.opened();
        synchronized (OPEN) {
            OPEN.put(session, lifetime);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        LauncherRuns.Lifetime lifetime;
        synchronized (OPEN) {
            lifetime = OPEN.remove(session);
        }
        if (lifetime != null) {
            LauncherRuns.closed(lifetime);
        }
    }
}
