package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.apiguardian.api.API;

/**
 * Java 21's virtual threads, reached by reflection so that Cleanroom still runs on Java
 * 17: there, asking for one is a clear error. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class VirtualThreads {

    private static final Method OF_VIRTUAL = find(Thread.class, "ofVirtual");
    private static final Method IS_VIRTUAL = find(Thread.class, "isVirtual");

    private VirtualThreads() {}

    /** Whether this JVM has virtual threads (Java 21+). */
    public static boolean available() {
        return OF_VIRTUAL != null;
    }

    /** Whether {@code thread} is virtual (false before Java 21). */
    public static boolean isVirtual(Thread thread) {
        try {
            return IS_VIRTUAL != null && (Boolean) IS_VIRTUAL.invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** {@code Thread.ofVirtual().name(prefix, 1).factory()}. */
    public static ThreadFactory factory(String prefix) {
        require();
        try {
            Object builder = OF_VIRTUAL.invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Could not make a virtual thread factory: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not make a virtual thread factory: " + e, e);
        }
    }

    /** {@code Executors.newThreadPerTaskExecutor(factory)}. */
    public static ExecutorService perTaskExecutor(ThreadFactory factory) {
        require();
        try {
            return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                    .invoke(null, factory);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Could not make a thread-per-task executor: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not make a thread-per-task executor: " + e, e);
        }
    }

    private static void require() {
        if (!available()) {
            throw new UnsupportedOperationException("Virtual threads need Java 21 or newer; this JVM is Java "
                    + Runtime.version().feature() + " (" + System.getProperty("java.home") + "). Run the tests on "
                    + "Java 21+, or use TaskTracker.newFixedThreadPool / threadFactory, which make platform threads.");
        }
    }

    private static Method find(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
