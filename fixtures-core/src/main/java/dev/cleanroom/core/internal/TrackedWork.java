package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apiguardian.api.API;

/** Where tracked threads were created, JVM-wide, so any report can show it. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
public final class TrackedWork {

    private static final Map<Thread, List<StackTraceElement>> CREATED = Collections.synchronizedMap(new WeakHashMap<>());

    private TrackedWork() {}

    /**
     * The calling thread's stack, without the frames of Cleanroom's tracker code, of a
     * thread's constructor and of the executor that called it.
     */
    public static List<StackTraceElement> here() {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        int from = 0;
        while (from < stack.length && ours(stack[from].getClassName())) {
            from++;
        }
        return List.copyOf(Arrays.asList(stack).subList(from, stack.length));
    }

    private static boolean ours(String className) {
        return className.startsWith("dev.cleanroom.core.internal.Tracked")
                || className.startsWith("dev.cleanroom.core.internal.UncaughtExceptions") // a thread's constructor
                || className.startsWith("java.lang.Thread") // Thread, ThreadLocal, ThreadBuilders
                || className.startsWith("jdk.internal.")
                || className.startsWith("dev.cleanroom.core.TaskTracker")
                || className.startsWith("dev.cleanroom.core.internal.VirtualThreads")
                || className.startsWith("java.util.concurrent."); // submit, execute, a pool adding a worker
    }

    /** Remembers where {@code thread} was created. */
    public static void created(Thread thread, List<StackTraceElement> stack) {
        CREATED.put(thread, stack);
    }

    /** Where {@code thread} was created, if a tracker made or adopted it; else empty. */
    public static List<StackTraceElement> creationOf(Thread thread) {
        return CREATED.getOrDefault(thread, List.of());
    }
}
