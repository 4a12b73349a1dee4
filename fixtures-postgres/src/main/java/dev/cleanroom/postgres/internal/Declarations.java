package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.postgres.IsolatedPostgres;
import java.lang.reflect.Method;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.platform.commons.support.AnnotationSupport;

/** Where a test's {@link IsolatedPostgres} comes from: its method's own wins over its class's, then the enclosing classes'. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class Declarations {

    private Declarations() {}

    /** The declaration that applies to {@code method} (if any) run in {@code testClass} (may be null). */
    public static Optional<IsolatedPostgres> find(Class<?> testClass, Optional<Method> method) {
        if (method.isPresent()) {
            Optional<IsolatedPostgres> onMethod = AnnotationSupport.findAnnotation(method.get(), IsolatedPostgres.class);
            if (onMethod.isPresent()) {
                return onMethod;
            }
        }
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<IsolatedPostgres> onClass = AnnotationSupport.findAnnotation(c, IsolatedPostgres.class);
            if (onClass.isPresent()) {
                return onClass;
            }
        }
        return Optional.empty();
    }
}
