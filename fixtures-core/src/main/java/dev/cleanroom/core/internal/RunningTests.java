package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.RunningTest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The test methods running now, and the one running on each thread. A test is running
 * from the start of Cleanroom's before-each callback to the start of its after-each
 * callback (before its scope closes). Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class RunningTests {

    private static final Map<String, Running> RUNNING = new ConcurrentHashMap<>();
    private static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();

    private RunningTests() {}

    /** Marks the test of {@code context} running on this thread. */
    public static void start(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return;
        }
        Running running = new Running(context, CURRENT.get());
        RUNNING.put(context.getUniqueId(), running);
        CURRENT.set(running);
    }

    /** Marks the test of {@code context} finished; the thread's previous test (if any) is current again. */
    public static void finish(ExtensionContext context) {
        Running running = RUNNING.remove(context.getUniqueId());
        if (running != null && CURRENT.get() == running) {
            if (running.previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(running.previous);
            }
        }
    }

    public static Optional<RunningTest> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    public static List<RunningTest> all() {
        return List.copyOf(RUNNING.values());
    }

    private static final class Running implements RunningTest {
        private final ExtensionContext context;
        private final Running previous;

        Running(ExtensionContext context, Running previous) {
            this.context = context;
            this.previous = previous;
        }

        @Override
        public TestIdentity identity() {
            return TestIdentity.of(context);
        }

        @Override
        public <H> Optional<H> fixture(Class<H> handleType) {
            return ScopeLifecycle.provided(context, handleType);
        }

        @Override
        public IsolationScope scope() {
            return ScopeLifecycle.scope(context);
        }

        @Override
        public String toString() {
            return identity().readableName();
        }
    }
}
