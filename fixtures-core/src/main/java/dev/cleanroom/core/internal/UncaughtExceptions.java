package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/**
 * A default uncaught-exception handler that gives every exception that kills a thread to
 * the test it belongs to, chaining to the handler that was installed before. In order:
 * <ol>
 *   <li>the bucket of the tracker that made or adopted the thread;</li>
 *   <li>the bucket the thread inherited from the thread that created it (each test's thread
 *       carries its test's bucket in an inheritable thread-local);</li>
 *   <li>when tests run one at a time, the bucket of the running test;</li>
 *   <li>else the run's bucket: reported at the end of the run, never dropped.</li>
 * </ol>
 * Installed while a run (or a plain-code tracker) is open and restored after, unless
 * somebody replaced it meanwhile (then installed again, chaining to theirs, by the next
 * run). Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class UncaughtExceptions {

    /** What a thread inherits from the thread that created it: the test's bucket, and where it was created. */
    private record Inherited(ExceptionBucket bucket, ThreadOrigins.Origin origin) {}

    private static final InheritableThreadLocal<Inherited> INHERITED = new InheritableThreadLocal<>() {
        @Override
        protected Inherited childValue(Inherited parent) {
            // runs on the creating thread, in the new thread's constructor: its stack is where the thread was made.
            // Only the new thread can read its value back (its own uncaught exception), so the origin is also
            // journaled, for leak checks (ThreadOrigins).
            return parent == null ? null : new Inherited(parent.bucket(),
                    ThreadOrigins.made(parent.bucket(), parent.bucket().owner(), parent.origin()));
        }
    };
    private static final Map<Thread, ExceptionBucket> TRACKED = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Thread.UncaughtExceptionHandler HANDLER = UncaughtExceptions::dispatch;
    private static final Deque<Installation> INSTALLS = new ArrayDeque<>(); // guarded by class
    private static volatile ExceptionBucket sequential;

    /** One install: its run's bucket (may be null), and the handler it replaced, if it replaced one. */
    private record Installation(ExceptionBucket run, boolean replaced, Thread.UncaughtExceptionHandler before) {}

    private UncaughtExceptions() {}

    /**
     * Installs the handler, chaining to the default handler found (unless that is already
     * ours); {@code run} (may be null) takes exceptions no test can be blamed for. Run the
     * returned action to uninstall: the handler found is restored if ours is still there.
     */
    public static synchronized Runnable install(ExceptionBucket run) {
        Thread.UncaughtExceptionHandler current = Thread.getDefaultUncaughtExceptionHandler();
        boolean replace = current != HANDLER;
        if (replace) {
            Thread.setDefaultUncaughtExceptionHandler(HANDLER);
        }
        Installation installation = new Installation(run, replace, replace ? current : null);
        INSTALLS.push(installation);
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                uninstall(installation);
            }
        };
    }

    private static synchronized void uninstall(Installation installation) {
        boolean latestReplacing = installation == latest(true);
        INSTALLS.remove(installation);
        if (latestReplacing && Thread.getDefaultUncaughtExceptionHandler() == HANDLER) {
            Thread.setDefaultUncaughtExceptionHandler(installation.before());
        }
    }

    /** The newest installation that replaced a handler ({@code replacing}), or that has a run bucket. */
    private static Installation latest(boolean replacing) {
        for (Installation i : INSTALLS) {
            if (replacing ? i.replaced() : i.run() != null) {
                return i;
            }
        }
        return null;
    }

    /** {@code thread} belongs to {@code bucket} (a tracker made or adopted it). */
    public static void track(Thread thread, ExceptionBucket bucket) {
        TRACKED.put(thread, bucket);
    }

    /**
     * Makes {@code bucket} the owner of threads the calling thread creates from now on (and,
     * when {@code alone}, of exceptions no other test claims). Run the returned action on
     * the same thread to restore what was before.
     */
    public static Runnable enter(ExceptionBucket bucket, boolean alone) {
        Inherited before = INHERITED.get();
        ExceptionBucket sequentialBefore = sequential;
        INHERITED.set(new Inherited(bucket, ThreadOrigins.Origin.UNKNOWN));
        if (alone) {
            sequential = bucket;
        }
        return () -> {
            INHERITED.set(before);
            if (alone) {
                sequential = sequentialBefore;
            }
        };
    }

    /** The bucket of the test whose thread (or a thread made there) the calling thread is; null if none. */
    public static ExceptionBucket inherited() {
        Inherited inherited = INHERITED.get();
        return inherited == null ? null : inherited.bucket();
    }

    private static void dispatch(Thread thread, Throwable failure) {
        boolean taken = take(thread, failure);
        Thread.UncaughtExceptionHandler chained;
        synchronized (UncaughtExceptions.class) {
            Installation replacing = latest(true);
            chained = replacing != null ? replacing.before() : null;
        }
        if (chained != null) {
            chained.uncaughtException(thread, failure);
        } else if (!taken) { // what the JVM would have done
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            failure.printStackTrace(System.err);
        }
    }

    private static boolean take(Thread thread, Throwable failure) {
        ExceptionBucket tracked = TRACKED.get(thread);
        if (tracked != null && tracked.add(thread, failure, "")) {
            return true;
        }
        Inherited inherited = thread == Thread.currentThread() ? INHERITED.get() : null;
        if (inherited != null && inherited.bucket().add(thread, failure, " (a thread created on its test's thread)",
                inherited.origin().stack())) {
            return true;
        }
        ExceptionBucket late = tracked != null ? tracked : inherited != null ? inherited.bucket() : null;
        if (late == null) {
            ExceptionBucket running = sequential;
            if (running != null && running.add(thread, failure, " while this test ran (tests run one at a time)")) {
                return true;
            }
        }
        String note = late != null ? " after its test " + late.owner() + " had ended"
                : " (no test can be blamed: the thread is neither tracked nor created on a test's thread)";
        ExceptionBucket run;
        synchronized (UncaughtExceptions.class) {
            Installation withRun = latest(false);
            run = withRun != null ? withRun.run() : null;
        }
        return run != null && run.add(thread, failure, note);
    }
}
