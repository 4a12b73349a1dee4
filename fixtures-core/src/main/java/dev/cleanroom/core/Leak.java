package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One piece of work that outlived its test: a thread, a task, or a failed future whose
 * outcome nobody read. Part of a {@link LeakException}.
 *
 * @param kind what leaked
 * @param owner the test (or plain scope) the work belonged to
 * @param description what was found, e.g. {@code thread 'poller-1' (TIMED_WAITING) is still alive}
 * @param threadStack the leaked thread's stack when it was found (for an uncaught exception: where it was
 *                    thrown); empty when there is no thread
 * @param creationStack where the work was created (or handed to the tracker); empty when unknown
 * @param failure the exception of an unread failed future or task, or the uncaught exception; null otherwise
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Leak(Kind kind, String owner, String description, List<StackTraceElement> threadStack,
                   List<StackTraceElement> creationStack, Throwable failure) {

    /** What leaked. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public enum Kind {
        /** A thread started during the test is still alive after teardown. */
        THREAD,
        /** A tracked task or thread was still running after its teardown deadline (it survived interruption). */
        TASK,
        /**
         * A tracked future, or a task given to a tracked executor, completed exceptionally
         * and nobody read its outcome.
         */
        UNREAD_FAILURE,
        /** A thread the test started (tracked or not) died from an exception nobody caught. */
        UNCAUGHT_EXCEPTION,
        /**
         * A tracked future was still pending when its test ended and nobody had waited for it
         * ({@code get}, {@code join}, a dependent stage, ...): work started and never awaited,
         * so the test passed without its outcome. It is cancelled at teardown.
         * {@code cleanroom.leaks.unawaited} decides what it does.
         */
        @API(status = EXPERIMENTAL, since = "0.1")
        NEVER_AWAITED
    }

    public Leak {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(description, "description");
        threadStack = List.copyOf(threadStack);
        creationStack = List.copyOf(creationStack);
    }

    /** The report of this leak: description, thread stack, creation stack, failure. */
    public String report() {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder(kind.name()).append(": ").append(description);
        if (failure != null) {
            text.append(nl).append("    failure: ").append(failure);
        }
        if (!threadStack.isEmpty()) {
            text.append(nl).append(kind == Kind.UNCAUGHT_EXCEPTION ? "    thrown at:" : "    thread stack:");
            appendFrames(text, threadStack);
        }
        if (creationStack.isEmpty()) {
            if (kind == Kind.THREAD) {
                text.append(nl).append("    created at: unknown (made neither through TaskTracker nor on a test's thread "
                        + "or a thread made there)");
            }
        } else {
            text.append(nl).append("    created at:");
            appendFrames(text, creationStack);
        }
        return text.toString();
    }

    private static void appendFrames(StringBuilder text, List<StackTraceElement> frames) {
        int shown = Math.min(frames.size(), 15);
        for (int i = 0; i < shown; i++) {
            text.append(System.lineSeparator()).append("        at ").append(frames.get(i));
        }
        if (frames.size() > shown) {
            text.append(System.lineSeparator()).append("        ... ").append(frames.size() - shown).append(" more");
        }
    }
}
