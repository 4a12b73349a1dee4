package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.reflect.Method;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestTemplate;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A test method in the plan of the JUnit run ({@link Fixtures#plannedTests}), known before
 * the first test runs, so that fixtures can prepare for the whole run at once.
 *
 * @param testClass the class the test runs in (a subclass or {@code @Nested} class, not where the method is declared)
 * @param method the test method
 * @param template whether it is a test template (repeated, parameterized): how often it runs is known only as it runs
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PlannedTest(Class<?> testClass, Method method, boolean template) {

    /** Whether the test or its class is {@code @Disabled}: it will take nothing. */
    public boolean disabled() {
        return AnnotationSupport.isAnnotated(method, Disabled.class) || AnnotationSupport.isAnnotated(testClass, Disabled.class);
    }

    /** How often the test's before-each fixtures will run: see {@link #invocations(Method, int)}. */
    public int invocations(int unknown) {
        return invocations(method, unknown);
    }

    /**
     * How often the before-each fixtures of test method {@code m} run: a repeated test's
     * count; a test factory once (its dynamic tests share it); any other template (say,
     * parameterized) {@code unknown}, since only running it tells; a plain test once.
     */
    public static int invocations(Method m, int unknown) {
        java.util.Optional<RepeatedTest> repeated = AnnotationSupport.findAnnotation(m, RepeatedTest.class);
        if (repeated.isPresent()) {
            return repeated.get().value();
        }
        if (AnnotationSupport.isAnnotated(m, TestFactory.class)) {
            return 1;
        }
        return AnnotationSupport.isAnnotated(m, TestTemplate.class) ? unknown : 1;
    }
}
