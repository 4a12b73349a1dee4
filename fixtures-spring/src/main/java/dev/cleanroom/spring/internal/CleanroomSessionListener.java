package dev.cleanroom.spring.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closes the application contexts Cleanroom wired when the JUnit launcher session ends,
 * newest first, so that their listeners, pools and schemas go while the shared servers are
 * still up; then the servers stop. (Left to JVM exit, they would race the other shutdown
 * hooks, such as Testcontainers' own.) Registered with {@link java.util.ServiceLoader}.
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class CleanroomSessionListener implements LauncherSessionListener {

    private static final Set<ConfigurableApplicationContext> CONTEXTS = ConcurrentHashMap.newKeySet();

    static void track(ConfigurableApplicationContext context) {
        CONTEXTS.add(context);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        List<ConfigurableApplicationContext> open = new ArrayList<>(CONTEXTS);
        CONTEXTS.clear();
        for (ConfigurableApplicationContext context : open) {
            try {
                if (context.isActive()) {
                    context.close();
                }
            } catch (RuntimeException e) {
                System.err.println("[cleanroom] closing the application context " + context.getId() + " failed: " + e);
            }
        }
    }
}
