package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.PlannedTest;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
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
 * The extension behind {@link IsolatedKafka}. The run's topic pools ({@link KafkaRun}, one
 * per topic shape for the whole run) learn the demand from the test plan, or else from each
 * class as it starts (how many topics its tests will take), and create topics ahead. Per test:
 * takes the topics, publishes the {@link KafkaHandle}, and registers the closer that hands
 * the test's topics and groups to the background deleter; clients made later close before
 * it. Nothing waits at class end: the run confirms every deletion once, when it ends.
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class IsolatedKafkaExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final System.Logger LOG = System.getLogger(IsolatedKafkaExtension.class.getName());
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(IsolatedKafkaExtension.class);
    private static final Duration TAKE_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration WAITED = Duration.ofMillis(1);

    @Override
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    public void beforeAll(ExtensionContext context) {
        KafkaRun run = KafkaRun.of(context);
        if (run.server.isGone()) {
            return; // each test fails at once in beforeEach, with the broker's failure
        }
        // once per class (a @Nested class is a class of its own)
        context.getStore(NAMESPACE).getOrComputeIfAbsent(new Announced(context.getUniqueId()), k -> {
            if (!run.planned()) { // without a test plan, each class announces its own demand
                announce(context.getRequiredTestClass(), run);
            } else {
                classDeclaration(context.getRequiredTestClass()).ifPresent(Declaration::specs); // a bad one fails the class
            }
            return Boolean.TRUE;
        }, Boolean.class);
    }

    private record Announced(String classId) {}

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Method method = context.getRequiredTestMethod();
        Declaration declaration = declarationFor(context)
                .orElseThrow(() -> new IllegalStateException("No @IsolatedKafka on " + method));
        KafkaRun run = KafkaRun.of(context); // waits for the broker: not isolation time
        long start = System.nanoTime();
        List<TopicSpec> specs = declaration.specs(); // validates; throws before anything is made
        run.server.checkAlive();
        TestIdentity test = TestIdentity.of(context);
        IsolationScope scope = Fixtures.scope(context);
        DefaultKafkaHandle handle = new DefaultKafkaHandle(run.server, test, scope, run.statistics);
        scope.onClose("delete the Kafka topics and consumer groups of " + test.readableName(), () -> {
            long released = System.nanoTime();
            run.track(handle.release());
            run.statistics.isolationTime(context, Duration.ofNanos(System.nanoTime() - released));
        });
        try {
            for (TopicSpec spec : specs) {
                if (run.prefetch == 0) { // created on demand, named after the test
                    handle.createTopic(spec.logical(), spec.partitions(), spec.configs());
                } else {
                    handle.adopt(spec.logical(), take(run, spec, declaration, test), spec.partitions());
                    run.statistics.used("topics", 1);
                }
            }
        } finally {
            if (!specs.isEmpty()) {
                String topics = handle.describeTopics();
                run.statistics.resources(context, "topics " + topics);
                LOG.log(System.Logger.Level.DEBUG, () -> "[cleanroom] " + test.readableName() + " has topics " + topics);
            }
            run.statistics.isolationTime(context, Duration.ofNanos(System.nanoTime() - start));
        }
        Fixtures.provide(context, KafkaHandle.class, handle);
    }

    private static String take(KafkaRun run, TopicSpec spec, Declaration declaration, TestIdentity test)
            throws InterruptedException {
        long start = System.nanoTime();
        String topic = run.pool(spec).take(TAKE_TIMEOUT, "\"" + spec.logical() + "\" (partitions = " + spec.partitions()
                + ", configs = " + spec.configs() + ") declared on " + declaration.where() + ", for " + test.readableName());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.compareTo(WAITED) > 0) { // a ready topic is handed out in microseconds
            run.statistics.waited("topics", took);
        }
        return topic;
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

    /** How often a test method takes its topics; any template of unknown count counts as {@code prefetch}. */
    static int invocations(Method m, int prefetch) {
        return PlannedTest.invocations(m, prefetch);
    }

    /** The topics a planned test will take: its own declaration or its class's; none if disabled or invalid. */
    static List<TopicSpec> declaredSpecs(Class<?> testClass, Method m) {
        if (new PlannedTest(testClass, m, false).disabled()) {
            return List.of();
        }
        Optional<IsolatedKafka> own = AnnotationSupport.findAnnotation(m, IsolatedKafka.class);
        try {
            if (own.isPresent()) {
                return new Declaration(own.get(), describe(m), true).specs();
            }
            return classDeclaration(testClass).map(Declaration::specs).orElse(List.of());
        } catch (IllegalArgumentException invalid) {
            return List.of(); // reported by the class or the test
        }
    }

    /** Announces how many topics of each declared shape the tests of {@code testClass} will take. */
    private static void announce(Class<?> testClass, KafkaRun run) {
        if (run.prefetch == 0) {
            return;
        }
        List<Method> tests = ReflectionSupport.findMethods(testClass,
                m -> AnnotationSupport.isAnnotated(m, Testable.class), HierarchyTraversalMode.TOP_DOWN);
        int classTests = 0;
        for (Method m : tests) {
            Optional<IsolatedKafka> own = AnnotationSupport.findAnnotation(m, IsolatedKafka.class);
            int invocations = invocations(m, run.prefetch);
            if (own.isEmpty()) {
                classTests += invocations;
                continue;
            }
            List<TopicSpec> specs;
            try {
                specs = new Declaration(own.get(), describe(m), true).specs();
            } catch (IllegalArgumentException invalid) {
                continue; // reported by that test's beforeEach, so the other tests still run
            }
            for (TopicSpec spec : specs) {
                run.pool(spec).expect(invocations);
            }
        }
        Optional<Declaration> declaration = classDeclaration(testClass);
        if (declaration.isPresent() && classTests > 0) {
            for (TopicSpec spec : declaration.get().specs()) { // a bad declaration fails the class here
                run.pool(spec).expect(classTests);
            }
        }
    }
}
