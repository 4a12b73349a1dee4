package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A fixture handle (KafkaHandle, PostgresHandle) asked for where its annotation is
 * missing: instead of JUnit's generic "No ParameterResolver registered", a message that
 * says which annotation to add. Core knows the handles by name only, so no fixture module
 * becomes a dependency. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class MissingFixture {

    /** Handle type name to the annotation that provides it, and the artifact that declares both. */
    private static final Map<String, String[]> HANDLES = Map.of(
            "dev.cleanroom.postgres.PostgresHandle", new String[] {"dev.cleanroom.postgres.IsolatedPostgres",
                    "dev.cleanroom:fixtures-postgres"},
            "dev.cleanroom.kafka.KafkaHandle", new String[] {"dev.cleanroom.kafka.IsolatedKafka",
                    "dev.cleanroom:fixtures-kafka"});

    private MissingFixture() {}

    /** Whether {@code parameter} is a fixture handle whose annotation is on neither the method nor its classes. */
    public static boolean applies(ParameterContext parameter, ExtensionContext context) {
        return annotationOf(parameter).filter(a -> !annotated(context, a)).isPresent();
    }

    /** The failure that says what to add. */
    public static ParameterResolutionException failure(ParameterContext parameter) {
        Class<?> type = parameter.getParameter().getType();
        String[] provider = HANDLES.get(type.getName());
        String annotation = provider[0].substring(provider[0].lastIndexOf('.') + 1);
        return new ParameterResolutionException("A " + type.getSimpleName() + " parameter needs @" + annotation
                + " on the test method or its class, but " + parameter.getDeclaringExecutable() + " has none. Add @"
                + annotation + " (from " + provider[1] + ") to the method or the class.");
    }

    @SuppressWarnings("unchecked")
    private static Optional<Class<? extends Annotation>> annotationOf(ParameterContext parameter) {
        Class<?> type = parameter.getParameter().getType();
        String[] provider = HANDLES.get(type.getName());
        if (provider == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((Class<? extends Annotation>) Class.forName(provider[0], false, type.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    private static boolean annotated(ExtensionContext context, Class<? extends Annotation> annotation) {
        Optional<? extends AnnotatedElement> method = context.getTestMethod();
        if (method.isPresent() && AnnotationSupport.isAnnotated(method.get(), annotation)) {
            return true;
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            if (AnnotationSupport.isAnnotated(c, annotation)) {
                return true;
            }
        }
        return false;
    }
}
