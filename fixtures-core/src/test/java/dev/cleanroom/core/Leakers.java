package dev.cleanroom.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Threads that fixtures leak on purpose; the outer test releases and joins them. */
final class Leakers {

    private static final AtomicReference<CountDownLatch> RELEASE = new AtomicReference<>(new CountDownLatch(1));
    private static final List<Thread> STARTED = new CopyOnWriteArrayList<>();

    private Leakers() {}

    /** Starts an untracked thread that blocks until {@link #releaseAll()}. */
    static Thread leak(String name) {
        CountDownLatch latch = RELEASE.get();
        Thread thread = new Thread(() -> {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        STARTED.add(thread);
        thread.start();
        return thread;
    }

    /** A task that ignores interruption until {@link #releaseAll()}. */
    static Runnable stubborn() {
        CountDownLatch latch = RELEASE.get();
        return () -> {
            while (latch.getCount() > 0) {
                try {
                    latch.await();
                } catch (InterruptedException ignored) {
                    // deliberately ignored: this task is the bug under test
                }
            }
        };
    }

    static void track(Thread thread) {
        STARTED.add(thread);
    }

    /** Releases every leaked thread and waits for them to end. */
    static void releaseAll() throws InterruptedException {
        RELEASE.getAndSet(new CountDownLatch(1)).countDown();
        for (Thread t : STARTED) {
            t.join(5_000);
            if (t.isAlive()) {
                throw new AssertionError("leaked test thread did not end: " + t);
            }
        }
        STARTED.clear();
    }
}
