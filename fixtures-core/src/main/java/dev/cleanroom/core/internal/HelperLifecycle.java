package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.CircuitBreakers;
import dev.cleanroom.core.EventCoordinator;
import dev.cleanroom.core.IgnoreLeakedThreads;
import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.Leak;
import dev.cleanroom.core.LeakException;
import dev.cleanroom.core.LeakPolicy;
import dev.cleanroom.core.StateResets;
import dev.cleanroom.core.TaskTracker;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.core.spi.ServiceFactory;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit side of the test-scope helpers: leak checks around each test and class,
 * quarantine, breaker resets, and the per-test helper instances. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class HelperLifecycle {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HelperLifecycle.class);
    private static final String PARALLEL_KEY = "junit.jupiter.execution.parallel.enabled";

    private HelperLifecycle() {}

    private record Key(String what, String uniqueId) {}

    /** Held in a record so that JUnit's store never tries to close what it holds. */
    private record Held(Object value) {}

    // ---- lifecycle ----

    /**
     * After the class scope is open and shared servers run: start the run's check (once per
     * run), remember the threads alive now, collect uncaught exceptions of the class's threads.
     */
    public static void beforeAll(ExtensionContext context) {
        HelperSettings settings = settings(context);
        if (settings.leaks() != LeakPolicy.OFF) {
            runCheck(context, settings).ignoreAlso(annotatedIgnores(context));
        }
        rememberThreads(context);
    }

    /** Quarantine check, breaker resets, thread baseline. */
    public static void beforeEach(ExtensionContext context) {
        quarantine(context).check(settings(context).leaks());
        CircuitBreakers.resetSuite();
        // the innermost breakers registered so far (a class's, else an outer class's) reset their enclosing ones too
        for (IsolationScope s = Fixtures.classScope(context); s != null; s = ScopeHost.of(s).map(ScopeHost::enclosing).orElse(null)) {
            Optional<CircuitBreakers> registered = s.attachment(CircuitBreakers.class);
            if (registered.isPresent()) {
                registered.get().resetAll();
                break;
            }
        }
        if (settings(context).leaks() != LeakPolicy.OFF) {
            runCheck(context, settings(context)).ignoreAlso(annotatedIgnores(context));
        }
        rememberThreads(context);
    }

    /**
     * Closes the scope of {@code context} (method or class), then reports leaks: the
     * tracker's, and threads started since the baseline that are still alive.
     */
    public static void closeAndCheck(ExtensionContext context, IsolationScope scope, Runnable closeScope) {
        RuntimeException failure = null;
        try {
            closeScope.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        HelperSettings settings;
        try {
            settings = settings(context);
        } catch (RuntimeException configurationBroken) { // already reported where it was first read
            if (failure != null) {
                throw failure;
            }
            return;
        }
        try {
            resetState(scope != null ? scope : context.getParent().flatMap(ScopeLifecycle::existing).orElse(null));
        } catch (RuntimeException resetFailed) {
            if (failure == null) {
                failure = resetFailed;
            } else {
                failure.addSuppressed(resetFailed);
            }
        }
        RunStatistics run = RunStatistics.of(context);
        if (context.getTestMethod().isPresent()) {
            run.testFinished(context, settings.leaks() != LeakPolicy.OFF && parallel(context),
                    failure != null || context.getExecutionException().isPresent());
        }
        List<Leak> leaks = new ArrayList<>();
        if (scope != null) {
            scope.attachment(TaskTracker.class).ifPresent(tracker -> {
                leaks.addAll(tracker.leaks());
                if (settings.leaks() != LeakPolicy.OFF) {
                    quarantine(context).add(tracker.survivors(), scope.name());
                }
            });
        }
        Held diff = context.getStore(NAMESPACE).remove(new Key("threads", context.getUniqueId()), Held.class);
        if (diff != null) {
            leaks.addAll(((ThreadDiff) diff.value()).end(scope != null ? scope.name() : context.getDisplayName()));
        }
        String owner = scope != null ? scope.name() : context.getDisplayName();
        if (context.getTestMethod().isEmpty()) {
            owner += " (class level: @BeforeAll, @AfterAll, class-scoped work)";
        }
        LeakException leak = LeakReporting.report(owner, leaks, settings);
        if (settings.leaks() != LeakPolicy.OFF) {
            run.leaks(leaks.size());
        }
        if (leak != null) {
            if (failure == null) {
                failure = leak;
            } else {
                failure.addSuppressed(leak);
            }
        }
        RuntimeException unrun = context.getTestMethod().isEmpty() ? testsReturningValues(context) : null;
        if (unrun != null) {
            if (failure == null) {
                failure = unrun;
            } else {
                failure.addSuppressed(unrun);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Once {@code scope} (a test's or a class's; null if none was opened) has closed: runs the
     * state resets of the nearest scope outwards that has any (they include the enclosing
     * scopes' and the suite's), else the suite's.
     */
    private static void resetState(IsolationScope scope) {
        for (IsolationScope s = scope; s != null; s = ScopeHost.of(s).map(ScopeHost::enclosing).orElse(null)) {
            Optional<StateResets> registered = s.attachment(StateResets.class);
            if (registered.isPresent()) {
                registered.get().resetAll();
                return;
            }
        }
        StateResets.resetSuite();
    }

    /**
     * The {@code @Test} methods of the class of {@code context} that return a value: JUnit
     * does not run them (a discovery warning only), so each "passes" by never running. A
     * failure of the class naming them and what to do; null when there are none.
     */
    static RuntimeException testsReturningValues(ExtensionContext context) {
        Class<?> testClass = context.getTestClass().orElse(null);
        if (testClass == null) {
            return null;
        }
        List<Method> returning = AnnotationSupport.findAnnotatedMethods(testClass, Test.class,
                HierarchyTraversalMode.TOP_DOWN).stream().filter(m -> m.getReturnType() != void.class).toList();
        if (returning.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (Method m : returning) {
            text.append(text.length() == 0 ? "" : "; ").append(testClass.getSimpleName()).append('.').append(m.getName())
                    .append("() returns ").append(m.getReturnType().getSimpleName());
        }
        return new IllegalStateException((returning.size() == 1 ? "A @Test method returns a value, so JUnit never "
                + "ran it" : returning.size() + " @Test methods return a value, so JUnit never ran them")
                + " (it only logs a discovery warning) and the test passed by not running: " + text + ". Make it "
                + "return void and wait for its work inside the test, with a timeout and without blocking JUnit's "
                + "worker (a TaskTracker parameter: tasks.await(future, Duration.ofSeconds(30))), and assert on the "
                + "outcome; any other value, assert on it.");
    }

    // ---- helpers for parameters and service contexts ----

    public static TaskTracker tracker(ExtensionContext context) {
        return TaskTracker.in(Fixtures.scope(context));
    }

    public static EventCoordinator coordinator(ExtensionContext context) {
        return EventCoordinator.in(Fixtures.scope(context));
    }

    public static CircuitBreakers circuitBreakers(ExtensionContext context) {
        return CircuitBreakers.in(Fixtures.scope(context));
    }

    public static StateResets stateResets(ExtensionContext context) {
        return StateResets.in(Fixtures.scope(context));
    }

    /** The service of {@code factory} for this test (or class), created and started on first use. */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    public static Object service(ExtensionContext context, ServiceFactory<?> factory) {
        Key key = new Key("service:" + factory.serviceType().getName(), context.getUniqueId());
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(key,
                k -> new Held(ServiceFactories.startService(factory, new JUnitServiceContext(context))), Held.class).value();
    }

    // ---- internals ----

    @SuppressWarnings("deprecation")
    static HelperSettings settings(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(HelperSettings.class,
                k -> HelperSettings.from(Fixtures.configuration(context)), HelperSettings.class);
    }

    /**
     * Begins the thread leak check of this test (or class): threads created on its thread
     * from now on give their uncaught exceptions to it, and (tests one at a time) the threads
     * alive now are remembered.
     */
    private static void rememberThreads(ExtensionContext context) {
        HelperSettings settings = settings(context);
        if (settings.leaks() == LeakPolicy.OFF) {
            return;
        }
        boolean parallel = parallel(context);
        if (parallel) {
            LeakReporting.parallelNotice();
        }
        context.getStore(NAMESPACE).put(new Key("threads", context.getUniqueId()),
                new Held(ThreadDiff.aroundTest(owner(context), settings, parallel, annotatedIgnores(context))));
    }

    private static boolean parallel(ExtensionContext context) {
        return context.getConfigurationParameter(PARALLEL_KEY).map("true"::equalsIgnoreCase).orElse(false);
    }

    private static String owner(ExtensionContext context) {
        String name = ScopeLifecycle.existing(context).map(IsolationScope::name).orElse(context.getDisplayName());
        return context.getTestMethod().isPresent() ? name
                : name + " (class level: @BeforeAll, @AfterAll, class-scoped work)";
    }

    @SuppressWarnings("deprecation")
    private static RunLeakCheck runCheck(ExtensionContext context, HelperSettings settings) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RunLeakCheck.class,
                k -> new RunLeakCheck(settings), RunLeakCheck.class);
    }

    /** The regexes of {@code @IgnoreLeakedThreads} on the test method, its class and enclosing classes. */
    private static List<String> annotatedIgnores(ExtensionContext context) {
        List<String> extra = new ArrayList<>();
        List<AnnotatedElement> places = new ArrayList<>();
        context.getTestMethod().ifPresent(places::add);
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            places.add(c);
        }
        for (AnnotatedElement place : places) {
            AnnotationSupport.findAnnotation(place, IgnoreLeakedThreads.class)
                    .ifPresent(a -> extra.addAll(Arrays.asList(a.value())));
        }
        return extra;
    }

    @SuppressWarnings("deprecation")
    private static Quarantine quarantine(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Quarantine.class, k -> new Quarantine(),
                Quarantine.class);
    }

    /** Threads that survived interruption, per JUnit run: later tests of the run are failed or skipped. */
    static final class Quarantine {
        private record Entry(Thread thread, String name, String owner) {}

        private final List<Entry> entries = new ArrayList<>(); // guarded by this

        synchronized void add(List<Thread> threads, String owner) {
            for (Thread t : threads) {
                entries.add(new Entry(t, t.getName(), owner));
            }
        }

        void check(LeakPolicy policy) {
            String reason;
            synchronized (this) {
                entries.removeIf(e -> !e.thread().isAlive());
                if (entries.isEmpty() || policy == LeakPolicy.OFF) {
                    return;
                }
                StringBuilder text = new StringBuilder("Quarantined: ");
                for (Entry e : entries) {
                    text.append("thread '").append(e.name()).append("' of ").append(e.owner()).append(", ");
                }
                reason = text.append("survived interruption at teardown and is still running, so it could disturb "
                        + "this test. Fix the test that started it (let its task end when interrupted); its leak "
                        + "report shows where it runs and where it was created.").toString();
            }
            if (policy == LeakPolicy.WARN) {
                throw new TestAbortedException(reason + " (Skipped because cleanroom.leaks=warn.)");
            }
            throw new IllegalStateException(reason + " (Failed because cleanroom.leaks=fail; with "
                    + "cleanroom.leaks=warn such tests are skipped instead.)");
        }
    }
}
