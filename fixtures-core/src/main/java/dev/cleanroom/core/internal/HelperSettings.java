package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.core.LeakPolicy;
import java.lang.ref.WeakReference;
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
 * @param unawaited what a tracked future pending at the end and never awaited does (at most {@code leaks})
 */
@API(status = INTERNAL, since = "0.1")
public record HelperSettings(LeakPolicy leaks, Duration taskDeadline, Duration barrierTimeout, Duration linger,
                             String ignoreThreads, LeakPolicy unawaited) {

    public HelperSettings {
        if (unawaited.ordinal() < leaks.ordinal()) { // FAIL, WARN, OFF: never stricter than cleanroom.leaks
            unawaited = leaks;
        }
    }

    public static HelperSettings from(Configuration cfg) {
        return new HelperSettings(cfg.get(CoreSettings.LEAKS), cfg.get(CoreSettings.TASKS_DEADLINE),
                cfg.get(CoreSettings.BARRIER_TIMEOUT), cfg.get(CoreSettings.LEAKS_LINGER),
                cfg.find(CoreSettings.LEAKS_IGNORE_THREADS).orElse(null), cfg.get(CoreSettings.LEAKS_UNAWAITED));
    }

    /** Plain code's configuration and helper settings, read for {@code loader}. */
    private record Plain(WeakReference<ClassLoader> loader, Configuration configuration, HelperSettings settings) {}

    private static volatile Plain plain; // one slot: the class loader of the latest plain-code caller

    /**
     * The configuration of plain code (no JUnit: system properties, environment and
     * cleanroom.properties), read once for the context class loader and cached: every
     * plain-code helper sees the same one.
     */
    public static Configuration plainConfiguration() {
        return plainOf().configuration();
    }

    /** The helper settings of {@link #plainConfiguration()}. */
    public static HelperSettings plain() {
        return plainOf().settings();
    }

    private static Plain plainOf() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : HelperSettings.class.getClassLoader();
        Plain cached = plain;
        if (cached == null || cached.loader().get() != loader) {
            // a race loads twice, harmlessly; a bad configuration is not cached and fails each time
            Configuration configuration = Configuration.load(loader, k -> Optional.empty());
            cached = new Plain(new WeakReference<>(loader), configuration, from(configuration));
            plain = cached;
        }
        return cached;
    }
}
