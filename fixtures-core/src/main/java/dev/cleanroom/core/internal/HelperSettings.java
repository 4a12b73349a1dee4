package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.core.LeakPolicy;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The settings the test-scope helpers read, resolved once. Internal: do not use.
 *
 * @param leaks leak policy
 * @param taskDeadline deadline of each tracker teardown stage
 * @param barrierTimeout default await timeout
 * @param linger how long leaked threads may take to die
 * @param ignoreThreads user regex of ignored thread names, or null
 */
@API(status = INTERNAL, since = "0.1")
public record HelperSettings(LeakPolicy leaks, Duration taskDeadline, Duration barrierTimeout, Duration linger,
                             String ignoreThreads) {

    public static HelperSettings from(Configuration cfg) {
        return new HelperSettings(cfg.get(CoreSettings.LEAKS), cfg.get(CoreSettings.TASKS_DEADLINE),
                cfg.get(CoreSettings.BARRIER_TIMEOUT), cfg.get(CoreSettings.LEAKS_LINGER),
                cfg.find(CoreSettings.LEAKS_IGNORE_THREADS).orElse(null));
    }

    /** Settings for plain code: system properties, environment and cleanroom.properties. */
    public static Configuration plainConfiguration() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return Configuration.load(loader != null ? loader : HelperSettings.class.getClassLoader(), k -> Optional.empty());
    }
}
