package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Where untracked threads were made: every thread constructed on a test's thread, or on a
 * thread made there (a pool's housekeeper making its connection adders), is journaled with
 * its class and the stack of the code that made it, trimmed to the frames of the user's
 * code (HikariCP-style: one cheap stack capture per thread made). A thread made by library
 * code on a library thread takes the origin of the thread that made that one.
 *
 * <p>Java gives a thread's inherited values only to that thread, so a leak check cannot
 * ask a leaked thread where it was made; it matches it against its test's journal instead:
 * same thread class, made through the library its name tells (a Kafka producer thread by
 * {@code org.apache.kafka.clients.producer}). When the matches were made at more than one
 * place of the user's code (two producers, one closed), all those places are named.
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadOrigins {

    /** Packages whose frames are not where the user made a thread: the JDK, libraries, Cleanroom's internals. */
    private static final List<String> NOT_USER_CODE = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.apache.kafka.", "com.zaxxer.hikari.", "org.postgresql.", "org.testcontainers.", "org.awaitility.",
            "io.github.resilience4j.", "org.springframework.", "org.junit.", "dev.cleanroom.core.TaskTracker");
    private static final int FRAMES = 16; // kept per origin: the library call and the user's frames under it
    private static final int PLACES = 8; // listed at most, when a thread may have been made at one of several
    private static final int JOURNALED = 4096; // at most, JVM-wide; the oldest go first
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final Deque<Made> JOURNAL = new ArrayDeque<>(); // guarded by itself
    private static long journaled; // guarded by JOURNAL: how many threads were journaled

    /**
     * Where a thread was made.
     *
     * @param stack the library call that made it and the user's frames under it (or the raw stack when no
     *              user frame was found); empty when unknown
     * @param libraries the non-JDK classes on the way, to tell whose thread it is
     */
    public record Origin(List<StackTraceElement> stack, Set<String> libraries) {
        static final Origin UNKNOWN = new Origin(List.of(), Set.of());

        /** Whether the thread was made through a class of the package {@code prefix}. */
        boolean through(String prefix) {
            return libraries.stream().anyMatch(c -> c.startsWith(prefix));
        }

        /** The first frame of the user's code, or the first frame when there is none. */
        StackTraceElement place() {
            for (StackTraceElement frame : stack) {
                if (userCode(frame.getClassName())) {
                    return frame;
                }
            }
            return stack.get(0);
        }
    }

    /** One thread made on a test's lineage of threads: its number, the test, the thread's class, its origin. */
    private record Made(long number, Object owner, String ownerName, String threadClass, Origin origin) {}

    /**
     * What the stack of a thread's constructor tells: the thread's class, its origin, and
     * whether Cleanroom's own code made it (a tracker, a fixture's client: never an untracked leak's origin).
     */
    private record Capture(String threadClass, Origin origin, boolean byCleanroom) {}

    private ThreadOrigins() {}

    /**
     * Journals a thread being made now, on the calling thread (call from the thread's
     * constructor); {@code parent} is the origin of the calling thread, used when the
     * thread is made by library code only. Returns the new thread's origin.
     */
    static Origin made(Object owner, String ownerName, Origin parent) {
        Capture capture = WALKER.walk(frames -> {
            Class<?> threadClass = null;
            List<StackTraceElement> stack = new ArrayList<>();
            Set<String> libraries = new LinkedHashSet<>(parent.libraries());
            int user = -1;
            boolean byCleanroom = false;
            for (StackWalker.StackFrame frame : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                Class<?> type = frame.getDeclaringClass();
                if (stack.isEmpty() && Thread.class.isAssignableFrom(type) && frame.getMethodName().equals("<init>")) {
                    threadClass = type; // the outermost constructor of the thread: its class
                    continue;
                }
                if (threadClass == null) {
                    continue; // this class, ThreadLocal: before the thread's constructor
                }
                String name = type.getName();
                if (user >= 0 && name.startsWith("org.junit.")) {
                    break; // JUnit calling the test: the frames below are the same for every test
                }
                if (user < 0 && userCode(name)) {
                    user = stack.size();
                } else if (user < 0 && !name.startsWith("java.") && !name.startsWith("jdk.")) {
                    libraries.add(name);
                    byCleanroom |= name.startsWith("dev.cleanroom.");
                }
                stack.add(frame.toStackTraceElement());
                if (user >= 0 && stack.size() >= user + FRAMES) {
                    break;
                }
                if (user < 0 && stack.size() >= 256) {
                    break;
                }
            }
            while (stack.size() > user + 1 && user >= 0 && reflection(stack.get(stack.size() - 1).getClassName())) {
                stack.remove(stack.size() - 1); // the reflective call of the test method
            }
            Origin origin;
            if (user >= 0) {
                int from = Math.max(0, user - 1);
                origin = new Origin(List.copyOf(stack.subList(from, Math.min(stack.size(), from + FRAMES))),
                        Set.copyOf(libraries));
            } else if (!parent.stack().isEmpty()) {
                origin = new Origin(parent.stack(), Set.copyOf(libraries)); // made by a library's own thread
            } else {
                origin = new Origin(List.copyOf(stack.subList(0, Math.min(stack.size(), FRAMES))),
                        Set.copyOf(libraries));
            }
            return new Capture(threadClass == null ? Thread.class.getName() : threadClass.getName(), origin,
                    byCleanroom);
        });
        if (!capture.byCleanroom()) {
            synchronized (JOURNAL) {
                if (JOURNAL.size() >= JOURNALED) {
                    JOURNAL.removeFirst();
                }
                JOURNAL.addLast(new Made(++journaled, owner, ownerName, capture.threadClass(), capture.origin()));
            }
        }
        return capture.origin();
    }

    /** A mark: a lookup {@link #originOf(Thread, long) since} it sees only threads made after it. */
    public static long mark() {
        synchronized (JOURNAL) {
            return journaled;
        }
    }

    /**
     * Where {@code thread} was made, looked up among the threads made on the lineage of
     * {@code owner}: the origin when all matches were made at one place of the user's code;
     * else those places, one frame each.
     */
    public static Found originOf(Thread thread, Object owner) {
        return originOf(thread, owner, 0);
    }

    /** Like {@link #originOf(Thread, Object)}, among threads any test made after {@code mark}; the note names the test. */
    public static Found originOf(Thread thread, long mark) {
        return originOf(thread, null, mark);
    }

    private static Found originOf(Thread thread, Object owner, long mark) {
        String threadClass = thread.getClass().getName();
        Optional<String> library = ThreadKinds.library(thread.getName());
        Map<StackTraceElement, Made> places = new LinkedHashMap<>();
        synchronized (JOURNAL) {
            for (Made made : JOURNAL) {
                boolean ours = owner == null ? made.number() > mark : made.owner() == owner;
                if (ours && made.threadClass().equals(threadClass) && !made.origin().stack().isEmpty()
                        && library.map(made.origin()::through).orElse(true)) {
                    places.putIfAbsent(made.origin().place(), made);
                }
            }
        }
        if (places.isEmpty()) {
            return new Found(List.of(), "");
        }
        if (places.size() == 1) {
            Made made = places.values().iterator().next();
            // a plain Thread of no library Cleanroom knows may also have come from elsewhere: say what was matched
            String matched = library.isEmpty() && threadClass.equals(Thread.class.getName())
                    ? "created at: where " + (owner == null ? made.ownerName() : "this test") + " made a plain thread like it"
                    : owner == null ? "made during " + made.ownerName() : "";
            return new Found(made.origin().stack(), matched.isEmpty() ? "" : " (" + matched + ")");
        }
        List<StackTraceElement> listed = List.copyOf(places.keySet()).subList(0, Math.min(places.size(), PLACES));
        StringBuilder note = new StringBuilder(" (made at one of the ").append(places.size())
                .append(" places where such threads were made, ")
                .append(places.size() > PLACES ? "the first " + PLACES + " listed" : "listed").append(" under 'created at'");
        if (owner == null) {
            note.append("; during ").append(String.join(", ",
                    places.values().stream().map(Made::ownerName).distinct().limit(PLACES).toList()));
        }
        return new Found(listed, note.append(')').toString());
    }

    /**
     * A lookup's result: the creation stack (or, when the thread may have been made at one of
     * several places, one frame per place) and a note for the description (may be empty).
     */
    public record Found(List<StackTraceElement> stack, String note) {}

    private static boolean reflection(String className) {
        return className.startsWith("jdk.internal.reflect.") || className.startsWith("java.lang.reflect.")
                || className.startsWith("java.lang.invoke.");
    }

    private static boolean userCode(String className) {
        for (String prefix : NOT_USER_CODE) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        return !(className.startsWith("dev.cleanroom.") && className.contains(".internal."));
    }
}
