package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.IsolationScope;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JVM's shared servers. Each is started once, on its own thread, the first time a
 * run asks for it. Every JUnit run (root context) that uses a server holds a lease in its
 * root store; the server is closed when the last lease is released, so nested runs
 * (EngineTestKit) reuse the outer run's server instead of restarting it. A shutdown hook
 * closes whatever is still open if the JVM exits early. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SharedServerRegistry {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServerRegistry.class);
    private static final Duration CLOSE_DEADLINE = Duration.ofMinutes(1);
    private static final Duration EXTERNAL_WAIT = Duration.ofSeconds(30);
    private static final Map<Class<?>, Entry> ENTRIES = new HashMap<>(); // guarded by ENTRIES
    private static int externalLeases; // guarded by ENTRIES

    static {
        Thread hook = new Thread(SharedServerRegistry::closeAllAtExit, "cleanroom-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private SharedServerRegistry() {}

    private static final class Entry {
        final String technology;
        final CompletableFuture<AutoCloseable> server = new CompletableFuture<>();
        volatile Engine engine;
        int leases; // guarded by ENTRIES

        Entry(String technology) {
            this.technology = technology;
        }
    }

    /** Starts, concurrently, every listed server that is not started yet, and waits for all. */
    public static void startAll(ExtensionContext context, Configuration configuration,
                                Collection<Class<? extends SharedServerProvider<?>>> providers) {
        List<Class<? extends SharedServerProvider<?>>> distinct = new ArrayList<>(new LinkedHashSet<>(providers));
        List<Entry> entries = new ArrayList<>();
        for (Class<? extends SharedServerProvider<?>> type : distinct) {
            entries.add(lease(context, configuration, type));
        }
        for (int i = 0; i < entries.size(); i++) {
            await(entries.get(i), configuration);
        }
    }

    /** The server of {@code type}, started if needed; the run holds a lease on it. */
    public static <S extends AutoCloseable> S obtain(ExtensionContext context, Configuration configuration,
                                                     Class<? extends SharedServerProvider<S>> type) {
        @SuppressWarnings("unchecked")
        S server = (S) await(lease(context, configuration, type), configuration);
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
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        @SuppressWarnings("unchecked")
        SharedServerLease<S> typed = (SharedServerLease<S>) (SharedServerLease<?>) lease;
        return typed;
    }

    /** The engine the server of {@code type} runs on, once started. */
    public static Engine engineOf(Class<? extends SharedServerProvider<?>> type) {
        synchronized (ENTRIES) {
            Entry entry = ENTRIES.get(type);
            return entry == null ? null : entry.engine;
        }
    }

    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    private static Entry lease(ExtensionContext context, Configuration configuration,
                               Class<? extends SharedServerProvider<?>> type) {
        Lease lease = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(type, t -> acquire(type, configuration), Lease.class);
        return lease.entry;
    }

    private static Lease acquire(Class<? extends SharedServerProvider<?>> type, Configuration configuration) {
        synchronized (ENTRIES) {
            Entry entry = ENTRIES.get(type);
            if (entry == null) {
                SharedServerProvider<?> provider = instantiate(type);
                entry = new Entry(provider.technology());
                ENTRIES.put(type, entry);
                start(entry, provider, configuration);
            }
            entry.leases++;
            return new Lease(type, entry);
        }
    }

    private static void start(Entry entry, SharedServerProvider<?> provider, Configuration configuration) {
        // in the shared-server thread group, so that threads the server spawns are never blamed on a test
        Thread starter = new Thread(ThreadLeaks.SHARED_SERVER_GROUP, () -> {
            try {
                Engine engine = EngineSelection.resolve(configuration, provider.engineSetting(), provider.technology());
                entry.engine = engine;
                entry.server.complete(provider.start(engine, configuration));
            } catch (Throwable t) {
                entry.server.completeExceptionally(t);
            }
        }, "cleanroom-start-" + provider.technology());
        starter.setDaemon(true);
        starter.start();
    }

    private static AutoCloseable await(Entry entry, Configuration configuration) {
        Duration timeout = configuration.get(CoreSettings.SERVER_START_TIMEOUT);
        try {
            return entry.server.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the shared " + entry.technology + " server", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The shared " + entry.technology + " server did not start within "
                    + timeout.toSeconds() + " s (" + CoreSettings.SERVER_START_TIMEOUT.key() + ").", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigurationException config) {
                throw config;
            }
            throw new IllegalStateException("The shared " + entry.technology + " server could not be started"
                    + (entry.engine == null ? "" : " on engine " + entry.engine.configName()) + ": " + cause, cause);
        }
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
        volatile boolean external;
        private boolean closed; // guarded by ENTRIES

        Lease(Class<?> type, Entry entry) {
            this.type = type;
            this.entry = entry;
        }

        @Override
        public Object server() {
            return entry.server.join();
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

    private static void stop(Entry entry) {
        AutoCloseable server = entry.server.getNow(null);
        if (server == null) {
            entry.server.cancel(false);
            return;
        }
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
            } catch (RuntimeException e) {
                System.err.println("[cleanroom] stopping the shared " + entry.technology + " server at JVM exit failed: " + e);
            }
        }
    }
}
