package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.spi.Park;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.core.Setting;
import dev.cleanroom.core.spi.SharedServerLease;
import dev.cleanroom.core.spi.SharedServerProvider;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JVM's shared servers. Each is started once, on its own thread, the first time a
 * run asks for it. Every JUnit run (root context) that uses a server holds a lease in its
 * root store, and so does the launcher session that executes the run (until the session
 * ends: surefire's forks execute each class as a run of its own, in one session per JVM);
 * the server is closed when the last lease is released, so nested runs (EngineTestKit)
 * reuse the outer run's server instead of restarting it. A shutdown hook closes whatever is
 * still open if the JVM exits early.
 *
 * <p>A start that fails or outlasts {@link CoreSettings#SERVER_START_TIMEOUT} fails every
 * class that needs the server with one message, and is remembered for the rest of the JVM
 * (for the same configuration): later classes and runs fail at once with the same cause
 * instead of waiting again. A server that arrives after its start timed out, or after the
 * run that asked for it ended, is stopped on arrival. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SharedServerRegistry {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServerRegistry.class);
    private static final Duration CLOSE_DEADLINE = Duration.ofMinutes(1);
    private static final Duration EXTERNAL_WAIT = Duration.ofSeconds(30);
    private static final Map<Class<?>, Entry> ENTRIES = new HashMap<>(); // guarded by ENTRIES
    /** Failed starts, by provider and configuration: remembered for the rest of the JVM. */
    private static final Map<StartKey, Failed> FAILED = new ConcurrentHashMap<>();
    private static int externalLeases; // guarded by ENTRIES

    static {
        Thread hook = new Thread(SharedServerRegistry::closeAllAtExit, "cleanroom-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private SharedServerRegistry() {}

    private static final class Entry {
        final String technology;
        final StartKey key;
        final CompletableFuture<AutoCloseable> server = new CompletableFuture<>();
        volatile Engine engine;
        volatile Duration startTime;
        volatile Thread starter;
        boolean abandoned; // guarded by this: the run ended, a server arriving now is stopped at once
        int leases; // guarded by ENTRIES

        Entry(String technology, StartKey key) {
            this.technology = technology;
            this.key = key;
        }

        /** Fails the start (first failure wins) and remembers it for the rest of the JVM. */
        void fail(Throwable cause) {
            if (server.completeExceptionally(cause)) {
                FAILED.putIfAbsent(key, new Failed(cause, engine));
            }
        }
    }

    /** The provider and every setting's value: a start failure is remembered for exactly this pair. */
    private record StartKey(Class<?> provider, String configuration) {}

    private record Failed(Throwable cause, Engine engine) {}

    /** A start that did not finish within the start timeout. */
    private static final class StartTimeout extends Exception {
        private final String waitedFor;
        private final Duration timeout;

        StartTimeout(String message, String waitedFor, Duration timeout, StackTraceElement[] starterStack) {
            super(message);
            this.waitedFor = waitedFor;
            this.timeout = timeout;
            setStackTrace(starterStack);
        }

        /** A fresh exception per class, so that suppressed teardown failures of one never pile up on another. */
        WaitTimeoutException forClass() {
            return new WaitTimeoutException(getMessage(), waitedFor, timeout,
                    "the start was still running (where: the cause's stack)", this);
        }
    }

    /** Starts, concurrently, every listed server that is not started yet, and waits for all. */
    public static void startAll(ExtensionContext context, Configuration configuration,
                                Collection<Class<? extends SharedServerProvider<?>>> providers) {
        List<Class<? extends SharedServerProvider<?>>> distinct = new ArrayList<>(new LinkedHashSet<>(providers));
        List<Lease> leases = new ArrayList<>();
        for (Class<? extends SharedServerProvider<?>> type : distinct) {
            leases.add(lease(context, configuration, type));
        }
        for (Lease lease : leases) {
            await(lease.entry, configuration);
            reportStart(context, lease);
        }
    }

    /** The server of {@code type}, started if needed; the run holds a lease on it. */
    public static <S extends AutoCloseable> S obtain(ExtensionContext context, Configuration configuration,
                                                     Class<? extends SharedServerProvider<S>> type) {
        Lease lease = lease(context, configuration, type);
        @SuppressWarnings("unchecked")
        S server = (S) await(lease.entry, configuration);
        reportStart(context, lease);
        return server;
    }

    /** A hold on the server of {@code type} outside any JUnit run (started if needed), until closed. */
    public static <S extends AutoCloseable> SharedServerLease<S> lease(Configuration configuration,
                                                                       Class<? extends SharedServerProvider<S>> type) {
        Lease lease = acquire(type, configuration);
        synchronized (ENTRIES) {
            externalLeases++;
        }
        lease.external = true;
        try {
            await(lease.entry, configuration);
        } catch (RuntimeException | WaitTimeoutException e) {
            lease.close();
            throw e;
        }
        @SuppressWarnings("unchecked")
        SharedServerLease<S> typed = (SharedServerLease<S>) (SharedServerLease<?>) lease;
        return typed;
    }

    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    private static Lease lease(ExtensionContext context, Configuration configuration,
                               Class<? extends SharedServerProvider<?>> type) {
        Lease lease = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(type, t -> acquire(type, configuration), Lease.class);
        if (lease.heldByRun.compareAndSet(false, true)) { // released when the run's scope closes, after the run's confirmations
            ScopeLifecycle.runScope(context).onClose("release this run's hold on the shared " + lease.entry.technology
                    + " server", CLOSE_DEADLINE.plusSeconds(5), lease::close);
        }
        // the launcher session holds it too: surefire's forks run each class as a run of its own
        LauncherRuns.Lifetime session = LauncherRuns.lifetimeOf(context.getUniqueId());
        if (session != null) {
            session.holdOnce(new SessionHold(type), () -> acquire(type, configuration));
        }
        return lease;
    }

    /** The launcher session's hold on the server of {@code type}. */
    private record SessionHold(Class<?> type) {}

    /** The run whose lease started the server reports how long starting took, once. */
    private static void reportStart(ExtensionContext context, Lease lease) {
        if (lease.starter && !lease.startReported) {
            lease.startReported = true;
            RunStatistics.of(context).serverStarted(lease.entry.technology, lease.entry.engine.configName(),
                    lease.entry.startTime);
        }
    }

    private static Lease acquire(Class<? extends SharedServerProvider<?>> type, Configuration configuration) {
        synchronized (ENTRIES) {
            Entry entry = ENTRIES.get(type);
            boolean starter = entry == null;
            if (starter) {
                SharedServerProvider<?> provider = instantiate(type);
                entry = new Entry(provider.technology(), new StartKey(type, fingerprint(configuration)));
                ENTRIES.put(type, entry);
                Failed failed = FAILED.get(entry.key);
                if (failed != null) { // failed earlier in this JVM with this configuration: fail at once, same cause
                    entry.engine = failed.engine();
                    entry.server.completeExceptionally(failed.cause());
                } else {
                    start(entry, provider, configuration);
                }
            }
            entry.leases++;
            return new Lease(type, entry, starter);
        }
    }

    private static void start(Entry entry, SharedServerProvider<?> provider, Configuration configuration) {
        // in the shared-server thread group, so that threads the server spawns are never blamed on a test
        Thread starter = new Thread(ThreadLeaks.SHARED_SERVER_GROUP, () -> {
            AutoCloseable server;
            try {
                long start = System.nanoTime();
                Engine engine = EngineSelection.resolve(configuration, provider.engineSetting(), provider.technology());
                entry.engine = engine;
                server = provider.start(engine, configuration);
                entry.startTime = Duration.ofNanos(System.nanoTime() - start);
                EngineSelection.served(provider.technology(), engine);
            } catch (Throwable t) {
                entry.fail(t);
                return;
            }
            synchronized (entry) {
                if (!entry.abandoned && entry.server.complete(server)) {
                    return;
                }
            }
            // too late: the start timed out or the run ended meanwhile; nobody else will stop it
            try {
                stopNow(entry, server);
            } catch (RuntimeException e) {
                System.err.println("[cleanroom] stopping the shared " + entry.technology + " server that arrived after"
                        + " its start timed out or its run ended failed: " + e);
            }
        }, "cleanroom-start-" + provider.technology());
        starter.setDaemon(true);
        entry.starter = starter;
        starter.start();
    }

    private static AutoCloseable await(Entry entry, Configuration configuration) {
        Duration timeout = configuration.get(CoreSettings.SERVER_START_TIMEOUT);
        try {
            try {
                return Park.get(entry.server, timeout); // parked: JUnit starts no extra test meanwhile
            } catch (TimeoutException e) {
                timeOut(entry, timeout);
                return entry.server.getNow(null); // it arrived at the last moment, or throws the failure just set
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the shared " + entry.technology + " server", e);
        } catch (ExecutionException | java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof StartTimeout timedOut) {
                throw timedOut.forClass();
            }
            if (e.getCause() instanceof WaitTimeoutException engineWait) { // e.g. the engine's port never opened
                throw new WaitTimeoutException("The shared " + entry.technology + " server could not be started"
                        + (entry.engine == null ? "" : " on engine " + entry.engine.configName()) + ": "
                        + engineWait.getMessage(), engineWait.waitedFor(), engineWait.timeout(), engineWait.seen(),
                        engineWait);
            }
            throw reported(entry, e.getCause());
        }
    }

    /** Fails the start for everyone (now and later in this JVM) and interrupts the starter. */
    private static void timeOut(Entry entry, Duration timeout) {
        Thread starter = entry.starter;
        StackTraceElement[] stack = starter == null ? new StackTraceElement[0] : starter.getStackTrace();
        String server = "The shared " + entry.technology + " server"
                + (entry.engine == null ? "" : " (engine " + entry.engine.configName() + ")");
        entry.fail(new StartTimeout(server + " did not start within " + WaitTimeoutException.format(timeout) + " ("
                + CoreSettings.SERVER_START_TIMEOUT.key() + "); the start was interrupted"
                + " and every later test in this JVM that needs it fails at once. Raise "
                + CoreSettings.SERVER_START_TIMEOUT.key() + " if the server is just slow here (first image pull).",
                server + " to start", timeout, stack));
        if (starter != null) {
            starter.interrupt();
        }
    }

    /** A fresh exception per class, so that suppressed teardown failures of one never pile up on another. */
    private static RuntimeException reported(Entry entry, Throwable cause) {
        if (cause instanceof ConfigurationException config) {
            return config;
        }
        return new IllegalStateException("The shared " + entry.technology + " server could not be started"
                + (entry.engine == null ? "" : " on engine " + entry.engine.configName()) + ": " + cause, cause);
    }

    /** Every setting's configured value, so that a failure is only remembered for the same configuration. */
    private static String fingerprint(Configuration configuration) {
        StringBuilder print = new StringBuilder();
        for (Setting<?> setting : configuration.knownSettings()) {
            try {
                @SuppressWarnings("unchecked")
                Object value = setting.isPrefix() ? configuration.withPrefix((Setting<String>) setting)
                        : configuration.find(setting).orElse(null);
                print.append(setting.key()).append('=').append(value).append('\n');
            } catch (RuntimeException invalid) {
                print.append(setting.key()).append("!").append(invalid.getMessage()).append('\n');
            }
        }
        return print.toString();
    }

    private static SharedServerProvider<?> instantiate(Class<? extends SharedServerProvider<?>> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Cannot create " + type.getName() + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " needs a public no-argument constructor", e);
        }
    }

    /** A run's (or an external holder's) hold on a server; closing the last one stops the server. */
    private static final class Lease implements SharedServerLease<Object> {
        final Class<?> type;
        final Entry entry;
        final boolean starter; // this run's lease started the server
        volatile boolean startReported;
        volatile boolean external;
        final java.util.concurrent.atomic.AtomicBoolean heldByRun = new java.util.concurrent.atomic.AtomicBoolean();
        private boolean closed; // guarded by ENTRIES

        Lease(Class<?> type, Entry entry, boolean starter) {
            this.type = type;
            this.entry = entry;
            this.starter = starter;
        }

        @Override
        public Object server() {
            return Park.join(entry.server);
        }

        @Override
        public void close() {
            synchronized (ENTRIES) {
                if (closed) {
                    return;
                }
                closed = true;
                if (external && --externalLeases == 0) {
                    ENTRIES.notifyAll();
                }
                if (--entry.leases > 0) {
                    return;
                }
                ENTRIES.remove(type);
            }
            stop(entry);
        }
    }

    /** Stops the server if it started; one still starting is stopped by its starter when it arrives. */
    private static void stop(Entry entry) {
        AutoCloseable server;
        synchronized (entry) {
            entry.abandoned = true;
            server = entry.server.isDone() && !entry.server.isCompletedExceptionally() ? entry.server.join() : null;
        }
        if (server != null) {
            stopNow(entry, server);
        }
    }

    private static void stopNow(Entry entry, AutoCloseable server) {
        try (IsolationScope scope = IsolationScope.open("shared " + entry.technology + " server", CLOSE_DEADLINE)) {
            scope.register("stop the shared " + entry.technology + " server", server);
        }
    }

    private static void closeAllAtExit() {
        List<Entry> open;
        synchronized (ENTRIES) {
            // external holders (cached application contexts) close in their own shutdown hooks: give them time
            long deadline = System.nanoTime() + EXTERNAL_WAIT.toNanos();
            while (externalLeases > 0 && System.nanoTime() < deadline) {
                try {
                    ENTRIES.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            open = new ArrayList<>(ENTRIES.values());
            ENTRIES.clear();
        }
        for (Entry entry : open) {
            try {
                stop(entry);
                Thread starter = entry.starter;
                if (starter != null && starter.isAlive()) { // still starting: interrupt it, its cleanup stops what it made
                    starter.interrupt();
                    starter.join(CLOSE_DEADLINE.toMillis());
                }
            } catch (RuntimeException e) {
                System.err.println("[cleanroom] stopping the shared " + entry.technology + " server at JVM exit failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
