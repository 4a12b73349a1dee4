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

    public static final class ProbeProvider implements SharedServerProvider<ProbeServer> {
        @Override
        public String technology() {
            return "probe";
        }

        @Override
        public Setting<Engine> engineSetting() {
            return TestSettings.PROBE_ENGINE;
        }

        @Override
        public ProbeServer start(Engine engine, Configuration configuration) throws InterruptedException {
            PROBE_STARTS.incrementAndGet();
            long start = System.nanoTime();
            Thread.sleep(400);
            return new ProbeServer("probe", engine, start, System.nanoTime());
        }
    }

    public static final class OtherProvider implements SharedServerProvider<ProbeServer> {
        @Override
        public String technology() {
            return "other";
        }

        @Override
        public Setting<Engine> engineSetting() {
            return TestSettings.OTHER_ENGINE;
        }

        @Override
        public ProbeServer start(Engine engine, Configuration configuration) throws InterruptedException {
            long start = System.nanoTime();
            Thread.sleep(400);
            return new ProbeServer("other", engine, start, System.nanoTime());
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
