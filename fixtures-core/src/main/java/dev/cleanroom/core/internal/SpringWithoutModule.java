package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.ConfigurationException;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Refuses a Spring test class (one that registers Spring's {@code SpringExtension}) that
 * uses Cleanroom fixtures while {@code fixtures-spring} is missing: its application context
 * would talk to the servers of its own configuration, not to the test's schema and topics.
 * Looks at class names only, so core never loads a Spring class. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SpringWithoutModule {

    static final String SPRING_EXTENSION = "org.springframework.test.context.junit.jupiter.SpringExtension";
    static final String SPRING_MODULE = "dev.cleanroom.spring.internal.CleanroomContextCustomizerFactory";

    private SpringWithoutModule() {}

    /** Throws if {@code testClass} (or an enclosing class) is a Spring test and fixtures-spring is not on the class path. */
    public static void check(Class<?> testClass) {
        if (!isSpringTest(testClass) || present(SPRING_MODULE, testClass.getClassLoader())) {
            return;
        }
        throw new ConfigurationException(testClass.getName() + " is a Spring test with Cleanroom fixtures, but "
                + "dev.cleanroom:fixtures-spring is not on the test class path, so the application context would use "
                + "the servers of its own configuration instead of each test's schema and topics. Add "
                + "<dependency><groupId>dev.cleanroom</groupId><artifactId>fixtures-spring</artifactId>"
                + "<scope>test</scope></dependency> (version from dev.cleanroom:cleanroom-bom).");
    }

    private static boolean isSpringTest(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            for (ExtendWith extendWith : AnnotationSupport.findRepeatableAnnotations(c, ExtendWith.class)) {
                for (Class<?> extension : extendWith.value()) {
                    if (extension.getName().equals(SPRING_EXTENSION)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean present(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader != null ? loader : SpringWithoutModule.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
