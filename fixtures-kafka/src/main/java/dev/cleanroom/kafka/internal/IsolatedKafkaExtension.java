package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The extension behind {@link IsolatedKafka}. Per class: validates the declarations and
 * starts creating each declared topic ahead ({@link TopicPool}). Per test: takes the
 * topics from the pools, publishes the {@link KafkaHandle}, and registers the closer that
 * hands the test's topics and groups to the background deleter; clients made later close
 * before it. At class end: untaken topics are deleted and every deletion of the class is
 * confirmed. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class IsolatedKafkaExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(IsolatedKafkaExtension.class);
    private static final Duration TAKE_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofMinutes(2);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ClassState state = classState(context);
        if (!state.server.isGone()) { // else each test fails at once in beforeEach, with the broker's failure
            state.prepare(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        long start = System.nanoTime();
        Method method = context.getRequiredTestMethod();
        Declaration declaration = declarationFor(context)
                .orElseThrow(() -> new IllegalStateException("No @IsolatedKafka on " + method));
        ClassState state = classState(context);
        List<TopicSpec> specs = declaration.specs(); // validates; throws before anything is made
        state.server.checkAlive();
        TestIdentity test = TestIdentity.of(context);
        IsolationScope scope = Fixtures.scope(context);
        DefaultKafkaHandle handle = new DefaultKafkaHandle(state.server, test, scope);
        long[] setupNanos = {0};
        scope.onClose("delete the Kafka topics and consumer groups of " + test.readableName(), () -> {
            long released = System.nanoTime();
            state.track(handle.release());
            RunStatistics.isolationTime(Duration.ofNanos(setupNanos[0] + System.nanoTime() - released));
        });
        for (TopicSpec spec : specs) {
            if (state.server.prefetch() == 0) { // created on demand, named after the test
                handle.createTopic(spec.logical(), spec.partitions(), spec.configs());
            } else {
                handle.adopt(spec.logical(), state.pool(declaration, spec).take(TAKE_TIMEOUT), spec.partitions());
            }
        }
        Fixtures.provide(context, KafkaHandle.class, handle);
        setupNanos[0] = System.nanoTime() - start;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaHandle.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (extensionContext.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("A KafkaHandle belongs to one test: declare it on a @Test or "
                    + "@BeforeEach/@AfterEach method, not on " + parameterContext.getDeclaringExecutable());
        }
        return Fixtures.provided(extensionContext, KafkaHandle.class).orElseThrow(() -> new ParameterResolutionException(
                "No KafkaHandle for " + extensionContext.getDisplayName() + ": is the test annotated @IsolatedKafka?"));
    }

    // ---- declarations

    /** Where topics are declared: the method's own annotation wins over the class's. */
    record Declaration(IsolatedKafka annotation, String where, boolean methodLevel) {
        List<TopicSpec> specs() {
            return TopicSpec.of(annotation.topics(), where);
        }
    }

    static Optional<Declaration> declarationFor(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent()) {
            Optional<IsolatedKafka> own = AnnotationSupport.findAnnotation(method.get(), IsolatedKafka.class);
            if (own.isPresent()) {
                return Optional.of(new Declaration(own.get(), describe(method.get()), true));
            }
        }
        return classDeclaration(context.getRequiredTestClass());
    }

    static Optional<Declaration> classDeclaration(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<IsolatedKafka> found = AnnotationSupport.findAnnotation(c, IsolatedKafka.class);
            if (found.isPresent()) {
                return Optional.of(new Declaration(found.get(), c.getName(), false));
            }
        }
        return Optional.empty();
    }

    private static String describe(AnnotatedElement element) {
        return element instanceof Method m ? m.getDeclaringClass().getName() + "." + m.getName() + "()" : element.toString();
    }

    // ---- per class

    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    private static ClassState classState(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        ExtensionContext owner = classContext;
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(ClassState.class, k -> new ClassState(owner), ClassState.class);
    }

    /** The pools and pending deletions of one test class. */
    static final class ClassState {
        final KafkaServer server;
        final String classSlug;
        final Map<List<Object>, TopicPool> pools = new ConcurrentHashMap<>();
        final List<CompletableFuture<Void>> deletions = new ArrayList<>(); // guarded by deletions
        volatile boolean prepared;

        ClassState(ExtensionContext classContext) {
            this.server = Fixtures.sharedServer(classContext, KafkaServerProvider.class);
            this.classSlug = Names.classSlug(TestIdentity.of(classContext));
            IsolationScope classScope = Fixtures.classScope(classContext);
            // registered first, so it runs last: after the pools gave back their leftovers
            classScope.onClose("confirm deletion of the Kafka topics and groups of " + classContext.getDisplayName(),
                    CONFIRM_TIMEOUT.plusSeconds(5), this::confirmDeletions);
            classScope.onClose("delete the Kafka topics created ahead for " + classContext.getDisplayName(),
                    CONFIRM_TIMEOUT, this::closePools);
        }

        /** Starts creating the declared topics of the class (and of annotated test methods) ahead. */
        void prepare(ExtensionContext classContext) {
            if (prepared) {
                return;
            }
            prepared = true;
            Class<?> testClass = classContext.getRequiredTestClass();
            List<Method> tests = ReflectionSupport.findMethods(testClass,
                    m -> AnnotationSupport.isAnnotated(m, Testable.class), HierarchyTraversalMode.TOP_DOWN);
            int prefetch = server.prefetch();
            if (prefetch == 0) {
                return;
            }
            int classTests = 0;
            for (Method m : tests) {
                Optional<IsolatedKafka> own = AnnotationSupport.findAnnotation(m, IsolatedKafka.class);
                boolean template = AnnotationSupport.isAnnotated(m, TestTemplate.class);
                if (own.isEmpty()) {
                    classTests += template ? prefetch : 1;
                    continue;
                }
                Declaration d = new Declaration(own.get(), describe(m), true);
                List<TopicSpec> specs;
                try {
                    specs = d.specs();
                } catch (IllegalArgumentException invalid) {
                    continue; // reported by that test's beforeEach, so the other tests still run
                }
                for (TopicSpec spec : specs) {
                    pool(d, spec, template ? prefetch : 1);
                }
            }
            Optional<Declaration> declaration = classDeclaration(testClass);
            if (declaration.isPresent() && classTests > 0) {
                for (TopicSpec spec : declaration.get().specs()) { // a bad declaration fails the class here
                    pool(declaration.get(), spec, Math.min(prefetch, classTests));
                }
            }
        }

        TopicPool pool(Declaration declaration, TopicSpec spec) {
            return pool(declaration, spec, declaration.methodLevel() ? 1 : Math.max(1, server.prefetch()));
        }

        private TopicPool pool(Declaration declaration, TopicSpec spec, int batch) {
            return pools.computeIfAbsent(List.of(declaration.where(), spec),
                    k -> new TopicPool(server, classSlug, spec, declaration.where(), batch));
        }

        void track(CompletableFuture<Void> deletion) {
            synchronized (deletions) {
                deletions.add(deletion);
            }
        }

        private void closePools() throws Exception {
            if (server.isGone()) {
                return; // a dead broker deletes nothing; its failure was reported on the tests
            }
            for (TopicPool pool : pools.values()) {
                track(pool.close(CONFIRM_TIMEOUT));
            }
        }

        private void confirmDeletions() throws Exception {
            if (server.isGone()) {
                return;
            }
            List<CompletableFuture<Void>> all;
            synchronized (deletions) {
                all = new ArrayList<>(deletions);
            }
            Deleter.await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), CONFIRM_TIMEOUT,
                    "the deletion of " + all.size() + " tests' topics and groups");
        }
    }
}
