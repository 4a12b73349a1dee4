package dev.cleanroom.spring.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds {@code @IsolatedPostgres} and {@code @IsolatedKafka} on a Spring test class (its
 * enclosing classes, or any of its test methods) and contributes the customizer that wires
 * the application context to the shared servers. The customizer is part of Spring's
 * context cache key, so it is equal for every class with the same Cleanroom needs.
 * Registered in {@code META-INF/spring.factories}. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class CleanroomContextCustomizerFactory implements ContextCustomizerFactory {

    static final String POSTGRES_ANNOTATION = "dev.cleanroom.postgres.IsolatedPostgres";
    static final String KAFKA_ANNOTATION = "dev.cleanroom.kafka.IsolatedKafka";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> attributes) {
        ClassLoader loader = testClass.getClassLoader();
        PostgresNeeds postgres = find(testClass, POSTGRES_ANNOTATION, loader).map(PostgresNeeds::of).orElse(null);
        boolean kafka = find(testClass, KAFKA_ANNOTATION, loader).isPresent();
        if (postgres == null && !kafka) {
            return null;
        }
        return new CleanroomContextCustomizer(postgres, kafka);
    }

    /** The annotation on the class, an enclosing class, or else on any test method. */
    static Optional<Annotation> find(Class<?> testClass, String annotationName, ClassLoader loader) {
        if (!ClassUtils.isPresent(annotationName, loader)) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Class<? extends Annotation> type = (Class<? extends Annotation>) ClassUtils.resolveClassName(annotationName, loader);
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<? extends Annotation> found = AnnotationSupport.findAnnotation(c, type);
            if (found.isPresent()) {
                return Optional.of(found.get());
            }
        }
        for (Method m : ReflectionSupport.findMethods(testClass, m -> true, HierarchyTraversalMode.TOP_DOWN)) {
            Optional<? extends Annotation> found = AnnotationSupport.findAnnotation((AnnotatedElement) m, type);
            if (found.isPresent()) {
                return Optional.of(found.get());
            }
        }
        return Optional.empty();
    }
}
