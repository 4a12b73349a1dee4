package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/**
 * The lineage of threads of a plain-code scope: the thread that opened it and every thread
 * made there, or made by a thread made there, from then on. Java hands a new thread its
 * creator's context class loader, and any thread's loader can be read by any other, so the
 * scope gives its thread a loader of its own that only marks (it defines no class and
 * delegates everything to the loader it replaced); a thread belongs to the lineage when its
 * loader is that marker or a loader under it (a scope opened within the scope). The opening
 * thread gets its loader back when the check ends. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadLineage {

    /** The mark; a class loader that loads nothing itself. */
    private static final class Marker extends ClassLoader {
        Marker(String scope, ClassLoader parent) {
            super("cleanroom-scope[" + scope + "]", parent);
        }
    }

    private final Thread opener;
    private final ClassLoader before;
    private final Marker marker;
    private final AtomicBoolean ended = new AtomicBoolean();

    private ThreadLineage(Thread opener, ClassLoader before, Marker marker) {
        this.opener = opener;
        this.before = before;
        this.marker = marker;
    }

    /**
     * Marks the calling thread (and so every thread made from it from now on) as the lineage
     * of {@code scope}; null when it cannot (the thread has no context class loader, which a
     * marker could not stand in for): then every thread counts.
     */
    public static ThreadLineage begin(String scope) {
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        if (before == null) {
            return null;
        }
        Marker marker = new Marker(scope, before);
        self.setContextClassLoader(marker);
        return new ThreadLineage(self, before, marker);
    }

    /** Whether {@code thread} was made on this lineage (its loader is the marker or under it). */
    public boolean contains(Thread thread) {
        for (ClassLoader l = thread.getContextClassLoader(); l != null; l = l.getParent()) {
            if (l == marker) {
                return true;
            }
        }
        return false;
    }

    /** Gives the opening thread its loader back, unless somebody set another one meanwhile. Once. */
    public void end() {
        if (ended.compareAndSet(false, true) && opener.getContextClassLoader() == marker) {
            opener.setContextClassLoader(before);
        }
    }
}
