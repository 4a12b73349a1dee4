package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TestIdentity;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The shape every fixture extension shares; a module adds only what is its own (how a
 * namespace is made and released: topics, a schema).
 *
 * <p>Per test method, the base finds the annotation {@code A} (on the method, else on its
 * class, else on an enclosing class of a {@code @Nested} class; inherited and
 * meta-annotations count), lets the module get ready ({@link #ready}: server start is not
 * isolation), opens the handle {@code H} ({@link #open}), registers its release in the
 * test's scope ({@link #release}), fills it ({@link #fill}), publishes it once with
 * {@link Fixtures#provide}, and records the time spent on the test thread as part of the
 * test's one isolation sample ({@link RunStatistics#isolationTime}; a test with several
 * fixtures still counts once). It resolves parameters of the handle type (and of
 * {@link #parameterTypes()}) for annotated tests, in test methods and their
 * {@code @BeforeEach}/{@code @AfterEach} methods only.
 *
 * <p>Per class, {@link #classStarts} sees the class's own declaration (for example to
 * announce demand, or to fail a bad declaration before any test runs).
 *
 * <p>The annotation meta-annotates {@code @ExtendWith(CleanroomExtension.class)} before
 * the module's extension, so that scopes exist when the base uses them.
 *
 * @param <A> the fixture's annotation
 * @param <H> the handle a test receives
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class FixtureExtension<A extends Annotation, H> implements BeforeAllCallback, BeforeEachCallback,
        ParameterResolver {

    private final Class<A> annotationType;
    private final Class<H> handleType;

    protected FixtureExtension(Class<A> annotationType, Class<H> handleType) {
        this.annotationType = Objects.requireNonNull(annotationType, "annotationType");
        this.handleType = Objects.requireNonNull(handleType, "handleType");
    }

    /**
     * Where a fixture is declared.
     *
     * @param annotation the annotation found
     * @param element the method or class that carries it (directly, inherited or as a meta-annotation)
     * @param <A> the annotation type
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Declaration<A extends Annotation>(A annotation, AnnotatedElement element) {

        /** Whether a test method declares it (rather than a class). */
        public boolean onMethod() {
            return element instanceof Method;
        }

        /** For messages: {@code com.example.OrderTest.places()} or {@code com.example.OrderTest}. */
        public String where() {
            return element instanceof Method m ? m.getDeclaringClass().getName() + "." + m.getName() + "()"
                    : ((Class<?>) element).getName();
        }
    }

    /** The declaration of {@code annotationType} on {@code method}, if the method itself carries it. */
    public static <A extends Annotation> Optional<Declaration<A>> methodDeclaration(Method method, Class<A> annotationType) {
        return AnnotationSupport.findAnnotation(method, annotationType).map(a -> new Declaration<>(a, method));
    }

    /** The declaration of {@code annotationType} on {@code testClass}, else on its nearest enclosing class that has one. */
    public static <A extends Annotation> Optional<Declaration<A>> classDeclaration(Class<?> testClass,
                                                                                  Class<A> annotationType) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<A> found = AnnotationSupport.findAnnotation(c, annotationType);
            if (found.isPresent()) {
                return Optional.of(new Declaration<>(found.get(), c));
            }
        }
        return Optional.empty();
    }

    /** The declaration that applies to a test method of {@code testClass}: the method's own, else its class's. */
    public static <A extends Annotation> Optional<Declaration<A>> declaration(Class<?> testClass, Method method,
                                                                             Class<A> annotationType) {
        Optional<Declaration<A>> own = methodDeclaration(method, annotationType);
        return own.isPresent() ? own : classDeclaration(testClass, annotationType);
    }

    /** The declaration that applies to {@code context}: its test method's own, else its class's; empty if none. */
    protected final Optional<Declaration<A>> declaration(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent()) {
            Optional<Declaration<A>> own = methodDeclaration(method.get(), annotationType);
            if (own.isPresent()) {
                return own;
            }
        }
        return context.getTestClass().flatMap(c -> classDeclaration(c, annotationType));
    }

    // ---- what a module provides

    /**
     * Once per test class (a {@code @Nested} class is one of its own), before its tests;
     * {@code declaration} is the class's own (or an enclosing class's), empty when only
     * methods declare the fixture. Does nothing by default.
     */
    protected void classStarts(ExtensionContext context, Optional<Declaration<A>> declaration) throws Exception {}

    /**
     * Before the handle is opened, off the isolation clock: validate the declaration, wait for
     * the shared server. Does nothing by default.
     */
    protected void ready(ExtensionContext context, Declaration<A> declaration) throws Exception {}

    /** Makes the test's handle (timed as isolation); its release is registered right after. */
    protected abstract H open(ExtensionContext context, Declaration<A> declaration, TestIdentity test) throws Exception;

    /**
     * Completes a handle whose release is already registered, so that what this adds is
     * released even if it fails half way (timed as isolation). Does nothing by default.
     */
    protected void fill(ExtensionContext context, Declaration<A> declaration, H handle) throws Exception {}

    /** Releases the test's handle when its scope closes (timed as isolation). */
    protected abstract void release(ExtensionContext context, H handle) throws Exception;

    /** The description of the release step in teardown messages, e.g. {@code release PostgreSQL schema ...}. */
    protected abstract String releaseDescription(H handle, TestIdentity test);

    /** What the fixture gives each test, for messages, e.g. {@code its own topics}. */
    protected abstract String givesEachTest();

    /**
     * Parameter types this fixture resolves besides the handle type (for example a
     * {@code DataSource}); {@link #parameter} turns the handle into them. None by default.
     */
    protected List<Class<?>> parameterTypes() {
        return List.of();
    }

    /** The value of a parameter of one of {@link #parameterTypes()}, taken from the test's handle. */
    protected Object parameter(Class<?> type, H handle) {
        throw new IllegalStateException("no parameter of type " + type.getName());
    }

    // ---- the shared part

    @Override
    public final void beforeAll(ExtensionContext context) throws Exception {
        // once per class (keyed by its id: the store's lookups fall back to the enclosing class's)
        ClassStarted key = new ClassStarted(context.getUniqueId());
        if (context.getStore(namespace()).get(key) != null) {
            return;
        }
        context.getStore(namespace()).put(key, Boolean.TRUE);
        classStarts(context, context.getTestClass().flatMap(c -> classDeclaration(c, annotationType)));
    }

    @Override
    public final void beforeEach(ExtensionContext context) throws Exception {
        Optional<Declaration<A>> declaration = declaration(context);
        if (declaration.isEmpty()) {
            return;
        }
        ready(context, declaration.get());
        RunStatistics run = RunStatistics.of(context);
        TestIdentity test = TestIdentity.of(context);
        IsolationScope scope = Fixtures.scope(context);
        long start = System.nanoTime();
        try {
            H handle = open(context, declaration.get(), test);
            scope.onClose(releaseDescription(handle, test), () -> {
                long released = System.nanoTime();
                try {
                    release(context, handle);
                } finally {
                    run.isolationTime(context, Duration.ofNanos(System.nanoTime() - released));
                }
            });
            fill(context, declaration.get(), handle);
            Fixtures.provide(context, handleType, handle);
        } finally {
            run.isolationTime(context, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public final boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return (type == handleType || parameterTypes().contains(type)) && declaration(extensionContext).isPresent();
    }

    @Override
    public final Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        Optional<H> handle = extensionContext.getTestMethod().isPresent()
                ? Fixtures.provided(extensionContext, handleType) : Optional.empty();
        if (handle.isEmpty()) {
            throw new ParameterResolutionException("@" + annotationType.getSimpleName() + " gives each test method "
                    + givesEachTest() + ", so a " + type.getSimpleName() + " parameter is available in test methods and "
                    + "@BeforeEach/@AfterEach methods only, not in " + parameterContext.getDeclaringExecutable() + ".");
        }
        return type == handleType ? handle.get() : parameter(type, handle.get());
    }

    private ExtensionContext.Namespace namespace() {
        return ExtensionContext.Namespace.create(FixtureExtension.class, getClass());
    }

    private record ClassStarted(String uniqueId) {}
}
