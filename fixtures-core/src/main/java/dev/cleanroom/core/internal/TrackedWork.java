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

    /** The calling thread's stack, without the frames of Cleanroom's own tracker code. */
    public static List<StackTraceElement> here() {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        int from = 0;
        while (from < stack.length && (stack[from].getClassName().startsWith("dev.cleanroom.core.internal.Tracked")
                || stack[from].getClassName().startsWith("dev.cleanroom.core.TaskTracker"))) {
            from++;
        }
        return List.copyOf(Arrays.asList(stack).subList(from, stack.length));
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
