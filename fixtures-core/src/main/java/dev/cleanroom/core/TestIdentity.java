package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Who a test is, for naming what it creates: the {@link RunId}, a sequence number unique
 * within the JVM (so parallel, repeated and parameterized invocations never share a
 * name) and the readable class and method names.
 *
 * @param runId the run id of this JVM
 * @param sequence unique within this JVM, increasing
 * @param className the test class's simple name
 * @param methodName the test method's name, or empty for a class-level scope
 * @param displayName JUnit's display name of the test or class
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TestIdentity(String runId, long sequence, String className, String methodName, String displayName) {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestIdentity.class);

    /** The identity of the test (or class) that {@code context} describes; the same object for the same context. */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the API that both JUnit 5.13 and 6 offer
    public static TestIdentity of(ExtensionContext context) {
        // keyed by the context's id: JUnit's store lookups fall back to parent contexts
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(context.getUniqueId(), k -> create(context), TestIdentity.class);
    }

    /** An identity for code outside JUnit, e.g. a plain {@link IsolationScope}. */
    public static TestIdentity named(String name) {
        return new TestIdentity(RunId.current(), SEQUENCE.incrementAndGet(), name, "", name);
    }

    private static TestIdentity create(ExtensionContext context) {
        String className = context.getTestClass().map(Class::getSimpleName).orElse("suite");
        String methodName = context.getTestMethod().map(m -> m.getName()).orElse("");
        return new TestIdentity(RunId.current(), SEQUENCE.incrementAndGet(), className, methodName, context.getDisplayName());
    }

    /** The sequence number in base 36, as used in names. */
    public String sequenceToken() {
        return Long.toString(sequence, 36);
    }

    /** {@code OrdersTest.sendsOrder} (or {@code OrdersTest} for a class). */
    public String readableName() {
        return methodName.isEmpty() ? className : className + "." + methodName;
    }

    /**
     * A lower-case slug of the class and method names of at most {@code maxLength}
     * characters of {@code [a-z0-9_]}, for building resource names. Long names keep the
     * start of the class name and the start of the method name.
     */
    public String slug(int maxLength) {
        String cls = clean(className);
        String method = clean(methodName);
        if (method.isEmpty()) {
            return cut(cls, maxLength);
        }
        if (cls.length() + 1 + method.length() <= maxLength) {
            return cls + "_" + method;
        }
        int half = Math.max(1, (maxLength - 1) / 2);
        String c = cut(cls, Math.max(half, maxLength - 1 - method.length()));
        return cut(c + "_" + cut(method, maxLength - 1 - c.length()), maxLength);
    }

    private static String clean(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, Math.max(0, max)).replaceAll("_+$", "");
    }
}
