package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.apiguardian.api.API;

/**
 * Names a runner conflict instead of leaving it silent. On JUnit's {@code ForkJoinPool}
 * executor, a test thread that waits through {@code ForkJoinPool.managedBlock}
 * ({@code CompletableFuture.get/join}, Kafka's futures, untimed {@code Condition.await},
 * {@code BlockingQueue.take}, ...) makes the pool add a worker, and JUnit gives that worker
 * another test: the suite runs more tests at once than its parallelism. When a test starts
 * on a pool that has more workers than its parallelism, this looks (once per new worker
 * count, so a cheap check otherwise) for a worker blocked that way and, the first time it
 * finds one, prints one warning that names the waiting call site and the fix. A pool that
 * grew for JUnit's own reasons (its own joins) is not reported. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class RunnerWatch {

    private static final String MANAGED_BLOCK = "managedBlock";
    private static final Map<ForkJoinPool, Integer> SCANNED = new WeakHashMap<>(); // guarded by SCANNED: size scanned at
    private static final Map<ForkJoinPool, Boolean> WARNED = new WeakHashMap<>(); // guarded by SCANNED

    private RunnerWatch() {}

    /** Called as each test starts, on its own thread. */
    public static void testStarts() {
        if (!(Thread.currentThread() instanceof ForkJoinWorkerThread worker)) {
            return; // not JUnit's ForkJoinPool executor (same thread, or JUnit 6.1's worker-thread pool)
        }
        ForkJoinPool pool = worker.getPool();
        int size = pool.getPoolSize();
        if (size <= pool.getParallelism()) {
            return;
        }
        synchronized (SCANNED) {
            if (WARNED.containsKey(pool) || SCANNED.getOrDefault(pool, 0) >= size) {
                return;
            }
            SCANNED.put(pool, size);
        }
        Optional<String> site = blockedCallSite(pool);
        if (site.isEmpty()) {
            return;
        }
        synchronized (SCANNED) {
            if (WARNED.put(pool, Boolean.TRUE) != null) {
                return;
            }
        }
        System.err.println("[cleanroom] JUnit is running more tests at once than its parallelism ("
                + pool.getParallelism() + "): its ForkJoinPool has " + size + " workers, because a test thread waits"
                + " through ForkJoinPool.managedBlock, which makes the pool add a worker that JUnit hands another test."
                + " Waiting: " + site.get() + ". Wait without it: CountDownLatch.await(timeout, unit) or"
                + " dev.cleanroom.core.spi.Park.get(future, timeout) instead of CompletableFuture.get/join or"
                + " KafkaFuture.get (a timeout alone does not help: CompletableFuture.get(timeout) blocks the same way),"
                + " or cap the pool with junit.jupiter.execution.parallel.config.fixed.max-pool-size="
                + pool.getParallelism() + ". Said once per run.");
    }

    /** "at com.example.OrderTest.places(OrderTest.java:42) via java.util.concurrent.CompletableFuture.get" of a blocked worker. */
    static Optional<String> blockedCallSite(ForkJoinPool pool) {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey() instanceof ForkJoinWorkerThread w && w.getPool() == pool) {
                Optional<String> site = callSite(e.getValue());
                if (site.isPresent()) {
                    return site;
                }
            }
        }
        return Optional.empty();
    }

    /** The first frame above a managed block that is not the JDK's or a client library's future. */
    static Optional<String> callSite(StackTraceElement[] stack) {
        int i = 0;
        while (i < stack.length && !(stack[i].getClassName().equals(ForkJoinPool.class.getName())
                && stack[i].getMethodName().equals(MANAGED_BLOCK))) {
            i++;
        }
        if (i == stack.length) {
            return Optional.empty();
        }
        String via = null;
        for (i++; i < stack.length; i++) {
            StackTraceElement frame = stack[i];
            if (library(frame.getClassName())) {
                via = frame.getClassName() + "." + frame.getMethodName();
            } else {
                return Optional.of("at " + frame.getClassName() + "." + frame.getMethodName() + "(" + frame.getFileName()
                        + ":" + frame.getLineNumber() + ")" + (via == null ? "" : " via " + via));
            }
        }
        return Optional.empty();
    }

    private static boolean library(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("org.apache.kafka.common.internals.");
    }
}
