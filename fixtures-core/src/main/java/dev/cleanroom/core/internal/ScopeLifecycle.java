package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.CoreSettings;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.core.spi.SharedServerProvider;
import dev.cleanroom.core.spi.UsesSharedServer;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/** Opens, finds and closes the per-class and per-method scopes. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class ScopeLifecycle {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ScopeLifecycle.class);

    private ScopeLifecycle() {}

    /** Validates configuration, opens the class scope, starts every shared server the class needs. */
    public static void beforeAll(ExtensionContext context) {
        RunStatistics.of(context); // first in the root store, so closed last: it sees every removal
        Configuration configuration = configuration(context);
        context.getStore(NAMESPACE).put(new Entered(context.getUniqueId()), Boolean.TRUE);
        classScope(context);
        List<Class<? extends SharedServerProvider<?>>> servers = new ArrayList<>();
        Class<?> testClass = context.getRequiredTestClass();
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            servers.addAll(serversOf(c));
        }
        for (Method method : ReflectionSupport.findMethods(testClass, m -> true, HierarchyTraversalMode.TOP_DOWN)) {
            servers.addAll(serversOf(method));
        }
        if (!servers.isEmpty()) {
            SpringWithoutModule.check(testClass);
        }
        SharedServerRegistry.startAll(context, configuration, servers);
    }

    /** Opens the method scope and starts any server only this method needs. */
    public static void beforeEach(ExtensionContext context) {
        RunStatistics.of(context);
        scope(context);
        context.getTestMethod().ifPresent(method ->
                SharedServerRegistry.startAll(context, configuration(context), serversOf(method)));
    }

    /** Closes the scope that belongs to exactly this context, if one was opened. */
    public static void closeScopeOf(ExtensionContext context) {
        ScopeHolder holder = context.getStore(NAMESPACE).get(new ScopeKey(context.getUniqueId()), ScopeHolder.class);
        if (holder != null) {
            holder.scope().close();
        }
    }

    /** The scope opened for exactly this context, if one was opened; never opens one. */
    public static java.util.Optional<IsolationScope> existing(ExtensionContext context) {
        ScopeHolder holder = context.getStore(NAMESPACE).get(new ScopeKey(context.getUniqueId()), ScopeHolder.class);
        return java.util.Optional.ofNullable(holder).map(ScopeHolder::scope);
    }

    /** The method scope inside a test method, else the class scope. */
    public static IsolationScope scope(ExtensionContext context) {
        return context.getTestMethod().isPresent() ? open(context) : classScope(context);
    }

    /**
     * The scope of the (innermost) test class of {@code context}. Where the extension is
     * registered on a test method only, no class callback would close a class scope, so the
     * test's own scope stands in for it.
     */
    public static IsolationScope classScope(ExtensionContext context) {
        ExtensionContext classContext = classContextOf(context);
        if (context.getTestMethod().isPresent() && !entered(classContext)) {
            return open(context);
        }
        return open(classContext);
    }

    private static ExtensionContext classContextOf(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext;
    }

    /** Whether the extension's before-all callback ran for exactly this class context. */
    private static boolean entered(ExtensionContext classContext) {
        return classContext.getStore(NAMESPACE).get(new Entered(classContext.getUniqueId())) != null;
    }

    /**
     * The scope that the scope of {@code context} sits in: a test's class scope, an outer
     * class's for a {@code @Nested} class; null where the extension did not enter that class.
     */
    private static IsolationScope enclosing(ExtensionContext context) {
        ExtensionContext outer = context.getTestMethod().isPresent() ? classContextOf(context)
                : context.getParent().filter(p -> p.getTestClass().isPresent()).orElse(null);
        return outer != null && outer != context && entered(outer) ? open(outer) : null;
    }

    /**
     * The scope of this JUnit run (the root context), opened on first use. It is closed when
     * JUnit closes the root store, as an {@code AutoCloseable} or, where
     * {@code junit.jupiter.extensions.store.close.autocloseable.enabled=false}, as a
     * {@code CloseableResource}: run-wide work (confirming deletions and drops, releasing the
     * run's hold on shared servers) never depends on that switch. Registered after the
     * run's statistics, so it closes before them and they see every confirmed removal.
     */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    public static IsolationScope runScope(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        RunStatistics.of(context);
        java.time.Duration deadline = configuration(context).get(CoreSettings.CLOSER_DEADLINE);
        return root.getStore(NAMESPACE).getOrComputeIfAbsent(RunScope.class,
                k -> new RunScope(IsolationScope.open("JUnit run " + root.getUniqueId(), deadline)), RunScope.class).scope();
    }

    /** Closed by JUnit's root store whether or not it closes AutoCloseable values; closing twice is harmless. */
    @SuppressWarnings("deprecation") // CloseableResource: the one kind JUnit closes with auto-closing switched off
    private record RunScope(IsolationScope scope) implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            scope.close();
        }
    }

    /** The run's configuration, read once per root context. */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    public static Configuration configuration(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return root.getStore(NAMESPACE).getOrComputeIfAbsent(Configuration.class, k -> {
            LauncherRuns.Session session = LauncherRuns.sessionOf(context.getUniqueId());
            return Configuration.load(classLoader(), root::getConfigurationParameter,
                    session == null ? java.util.Set.of() : session.parameterKeys());
        }, Configuration.class);
    }

    /** See {@link dev.cleanroom.core.spi.Fixtures#provide}. */
    public static <H> void provide(ExtensionContext context, Class<H> type, H handle) {
        // wrapped, so that JUnit's store never closes a handle behind the scope's back
        context.getStore(NAMESPACE).put(new HandleKey(type), new Published(type.cast(handle)));
    }

    /** See {@link dev.cleanroom.core.spi.Fixtures#provided}; the store looks in parent contexts too. */
    public static <H> java.util.Optional<H> provided(ExtensionContext context, Class<H> type) {
        Published published = context.getStore(NAMESPACE).get(new HandleKey(type), Published.class);
        return java.util.Optional.ofNullable(published).map(p -> type.cast(p.handle()));
    }

    private record HandleKey(Class<?> type) {}

    private record ScopeKey(String uniqueId) {}

    private record Entered(String uniqueId) {}

    private record Published(Object handle) {}

    private static List<Class<? extends SharedServerProvider<?>>> serversOf(AnnotatedElement element) {
        List<Class<? extends SharedServerProvider<?>>> servers = new ArrayList<>();
        for (UsesSharedServer uses : AnnotationSupport.findRepeatableAnnotations(element, UsesSharedServer.class)) {
            servers.add(uses.value());
        }
        return servers;
    }

    @SuppressWarnings("deprecation")
    private static IsolationScope open(ExtensionContext context) {
        // keyed by the context's id: JUnit's store lookups fall back to parent contexts
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(new ScopeKey(context.getUniqueId()), k -> {
            TestIdentity identity = TestIdentity.of(context);
            String name = context.getTestMethod().isPresent()
                    ? identity.className() + "." + context.getDisplayName()
                    : identity.className();
            IsolationScope enclosing = enclosing(context);
            IsolationScope scope = IsolationScope.open(name, configuration(context).get(CoreSettings.CLOSER_DEADLINE));
            scope.attachment(ScopeHost.class, () -> new ScopeHost(HelperLifecycle.settings(context), enclosing));
            return new ScopeHolder(scope);
        }, ScopeHolder.class).scope();
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ScopeLifecycle.class.getClassLoader();
    }

    /**
     * Keeps a scope in JUnit's store. The extension closes the scope explicitly; the store
     * closing this holder is only the safety net for paths where after-callbacks never
     * ran. Closing twice is harmless.
     */
    private record ScopeHolder(IsolationScope scope) implements AutoCloseable {
        @Override
        public void close() {
            scope.close();
        }
    }
}
