package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Leak;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Collects the uncaught exceptions of the threads of one owner (a test, a tracker, or the
 * run) until it is drained; a drained bucket takes no more, so that later exceptions go to
 * the run instead of vanishing. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ExceptionBucket {

    private final String owner;
    private final List<Leak> leaks = new ArrayList<>(); // guarded by this
    private boolean open = true; // guarded by this

    public ExceptionBucket(String owner) {
        this.owner = owner;
    }

    public String owner() {
        return owner;
    }

    /** Takes an exception that killed {@code thread}; false once drained. {@code note} may be empty. */
    public boolean add(Thread thread, Throwable failure, String note) {
        return add(thread, failure, note, List.of());
    }

    /**
     * Takes an exception that killed {@code thread}, made at {@code creation} (used when no
     * tracker knows where the thread was made; may be empty); false once drained.
     */
    public synchronized boolean add(Thread thread, Throwable failure, String note, List<StackTraceElement> creation) {
        if (!open) {
            return false;
        }
        List<StackTraceElement> tracked = TrackedWork.creationOf(thread);
        leaks.add(new Leak(Leak.Kind.UNCAUGHT_EXCEPTION, owner, "thread '" + thread.getName()
                + "' died from an uncaught exception" + note,
                Arrays.asList(failure.getStackTrace()), tracked.isEmpty() ? creation : tracked, failure));
        return true;
    }

    /** The exceptions so far, and stops taking more. */
    public synchronized List<Leak> drain() {
        open = false;
        return List.copyOf(leaks);
    }

    /** The exceptions so far; keeps taking more. */
    public synchronized List<Leak> takeSoFar() {
        List<Leak> taken = List.copyOf(leaks);
        leaks.clear();
        return taken;
    }
}
