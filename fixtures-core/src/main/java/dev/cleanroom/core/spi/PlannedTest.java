package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.reflect.Method;
import org.apiguardian.api.API;

/**
 * A test method in the plan of the JUnit run ({@link Fixtures#plannedTests}), known before
 * the first test runs, so that fixtures can prepare for the whole run at once.
 *
 * @param testClass the class the test runs in (a subclass or {@code @Nested} class, not where the method is declared)
 * @param method the test method
 * @param template whether it is a test template (repeated, parameterized): how often it runs is known only as it runs
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record PlannedTest(Class<?> testClass, Method method, boolean template) {}
