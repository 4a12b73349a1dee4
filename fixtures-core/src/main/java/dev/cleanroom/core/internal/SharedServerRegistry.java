package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.spi.RunStatistics;
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
    private static final Map<Class<?>, Entry> ENTRIES = new HashMap<>(); // guarded by ENTRIES

    static {
        Thread hook = new Thread(SharedServerRegistry::closeAllAtExit, "cleanroom-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private SharedServerRegistry() {}

    private static final class Entry {
        final String technology;
        final CompletableFuture<AutoCloseable> server = new CompletableFuture<>();
        volatile Engine engine;
        volatile Duration startTime;
        int leases; // guarded by ENTRIES

        Entry(String technology) {
            this.technology = technology;
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

    /** The engine the server of {@code type} runs on, once started. */
    public static Engine engineOf(Class<? extends SharedServerProvider<?>> type) {
        synchronized (ENTRIES) {
            Entry entry = ENTRIES.get(type);
            return entry == null ? null : entry.engine;
        }
    }

    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    private static Lease lease(ExtensionContext context, Configuration configuration,
                               Class<? extends SharedServerProvider<?>> type) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(type, t -> acquire(type, configuration), Lease.class);
    }

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
                entry = new Entry(provider.technology());
                ENTRIES.put(type, entry);
                start(entry, provider, configuration);
            }
            entry.leases++;
            return new Lease(type, entry, starter);
        }
    }

    private static void start(Entry entry, SharedServerProvider<?> provider, Configuration configuration) {
        // in the shared-server thread group, so that threads the server spawns are never blamed on a test
        Thread starter = new Thread(ThreadLeaks.SHARED_SERVER_GROUP, () -> {
            try {
                long start = System.nanoTime();
                Engine engine = EngineSelection.resolve(configuration, provider.engineSetting(), provider.technology());
                entry.engine = engine;
                AutoCloseable server = provider.start(engine, configuration);
                entry.startTime = Duration.ofNanos(System.nanoTime() - start);
                entry.server.complete(server);
                EngineSelection.served(provider.technology(), engine);
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

    /** A run's hold on a server; closing the last one stops the server. */
    private static final class Lease implements AutoCloseable {
        final Class<?> type;
        final Entry entry;
        final boolean starter; // this run's lease started the server
        volatile boolean startReported;

        Lease(Class<?> type, Entry entry, boolean starter) {
            this.type = type;
            this.entry = entry;
            this.starter = starter;
        }

        @Override
        public void close() {
            synchronized (ENTRIES) {
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
