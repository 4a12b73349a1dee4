package dev.cleanroom.core;

import dev.cleanroom.core.spi.SharedServerProvider;
import dev.cleanroom.core.spi.UsesSharedServer;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.concurrent.atomic.AtomicInteger;

/** Test-only shared servers that record when they start and stop. */
final class ProbeServers {

    private ProbeServers() {}

    /** A started "server": remembers its start interval and how often it was closed. */
    static final class ProbeServer implements AutoCloseable {
        final String technology;
        final Engine engine;
        final long startedNanos;
        final long readyNanos;
        final AtomicInteger closes = new AtomicInteger();

        ProbeServer(String technology, Engine engine, long startedNanos, long readyNanos) {
            this.technology = technology;
            this.engine = engine;
            this.startedNanos = startedNanos;
            this.readyNanos = readyNanos;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            LAST_CLOSED.set(this);
        }
    }

    static final AtomicInteger PROBE_STARTS = new AtomicInteger();
    static final AtomicInteger BROKEN_STARTS = new AtomicInteger();
    static final java.util.concurrent.atomic.AtomicReference<ProbeServer> LAST_CLOSED = new java.util.concurrent.atomic.AtomicReference<>();

    /** Takes 400 ms to start, so that serial and concurrent starts can be told apart. */
    abstract static class SlowProvider implements SharedServerProvider<ProbeServer> {
        private final String technology;
        private final Setting<Engine> engineSetting;

        SlowProvider(String technology, Setting<Engine> engineSetting) {
            this.technology = technology;
            this.engineSetting = engineSetting;
        }

        @Override
        public String technology() {
            return technology;
        }

        @Override
        public Setting<Engine> engineSetting() {
            return engineSetting;
        }

        @Override
        public ProbeServer start(Engine engine, Configuration configuration) throws InterruptedException {
            long start = System.nanoTime();
            Thread.sleep(400);
            return new ProbeServer(technology, engine, start, System.nanoTime());
        }
    }

    public static final class ProbeProvider extends SlowProvider {
        public ProbeProvider() {
            super("probe", TestSettings.PROBE_ENGINE);
        }

        @Override
        public ProbeServer start(Engine engine, Configuration configuration) throws InterruptedException {
            PROBE_STARTS.incrementAndGet();
            return super.start(engine, configuration);
        }
    }

    public static final class OtherProvider extends SlowProvider {
        public OtherProvider() {
            super("other", TestSettings.OTHER_ENGINE);
        }
    }

    public static final class BrokenProvider implements SharedServerProvider<ProbeServer> {
        @Override
        public String technology() {
            return "probe";
        }

        @Override
        public Setting<Engine> engineSetting() {
            return TestSettings.PROBE_ENGINE;
        }

        @Override
        public ProbeServer start(Engine engine, Configuration configuration) {
            BROKEN_STARTS.incrementAndGet();
            throw new IllegalStateException("port 5432 is taken");
        }
    }

    static final AtomicInteger HANGING_STARTS = new AtomicInteger();
    static final java.util.concurrent.CountDownLatch HANGING_INTERRUPTED = new java.util.concurrent.CountDownLatch(1);

    /** Never finishes starting on its own; records that the registry interrupted it. */
    public static final class HangingProvider implements SharedServerProvider<ProbeServer> {
        @Override
        public String technology() {
            return "hanging";
        }

        @Override
        public Setting<Engine> engineSetting() {
            return TestSettings.PROBE_ENGINE;
        }

        @Override
        public ProbeServer start(Engine engine, Configuration configuration) throws InterruptedException {
            HANGING_STARTS.incrementAndGet();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                HANGING_INTERRUPTED.countDown();
                throw e;
            }
            throw new AssertionError("unreachable");
        }
    }

    static final java.util.concurrent.atomic.AtomicReference<ProbeServer> LATE = new java.util.concurrent.atomic.AtomicReference<>();

    /** Takes 1.5 s whatever happens (ignores interrupts): arrives after a 0.5 s start timeout. */
    public static final class LateProvider implements SharedServerProvider<ProbeServer> {
        @Override
        public String technology() {
            return "late";
        }

        @Override
        public Setting<Engine> engineSetting() {
            return TestSettings.PROBE_ENGINE;
        }

        @Override
        public ProbeServer start(Engine engine, Configuration configuration) {
            long start = System.nanoTime();
            long end = start + 1_500_000_000L;
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException ignored) {
                    // a server start that cannot be interrupted
                }
            }
            ProbeServer server = new ProbeServer("late", engine, start, System.nanoTime());
            LATE.set(server);
            return server;
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Cleanroom
    @UsesSharedServer(HangingProvider.class)
    @interface UsesHanging {}

    @Retention(RetentionPolicy.RUNTIME)
    @Cleanroom
    @UsesSharedServer(LateProvider.class)
    @interface UsesLate {}

    @Retention(RetentionPolicy.RUNTIME)
    @Cleanroom
    @UsesSharedServer(ProbeProvider.class)
    @interface UsesProbe {}

    @Retention(RetentionPolicy.RUNTIME)
    @Cleanroom
    @UsesSharedServer(OtherProvider.class)
    @interface UsesOther {}

    @Retention(RetentionPolicy.RUNTIME)
    @Cleanroom
    @UsesSharedServer(BrokenProvider.class)
    @interface UsesBroken {}
}
