package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Waits that a test thread may make without JUnit starting another test.
 *
 * <p>Up to JUnit 6.0 (and from 6.1 by default) a parallel suite runs on a
 * {@code ForkJoinPool}. A worker that blocks through {@code ForkJoinPool.managedBlock}
 * makes the pool add a compensating worker, and JUnit hands that worker the next test:
 * {@code CompletableFuture.get/join} (and Kafka's futures, built on it), untimed
 * {@code Condition.await}, {@code BlockingQueue.take}, {@code ForkJoinTask.join} and
 * {@code Phaser} all block that way. A timed {@link CountDownLatch#await(long, TimeUnit)}
 * parks without compensation, so every wait here ends in one; once the awaited work is
 * done, reading its result does not block at all. Fixtures wait this way on every path a
 * test thread takes (set-up, take, release, teardown).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Park {

    private Park() {}

    /**
     * Parks until {@code whenDone} runs the callback it is given, or {@code timeout} passes;
     * true if it ran. {@code whenDone} registers the callback with whatever signals completion
     * (for example {@code f -> kafkaFuture.whenComplete((v, e) -> f.run())}).
     */
    public static boolean until(Consumer<Runnable> whenDone, Duration timeout) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        whenDone.accept(done::countDown);
        return awaitNanos(done, timeout.toNanos());
    }

    /** Parks until {@code future} is done or {@code timeout} passes; true if it is done. */
    public static boolean untilDone(CompletableFuture<?> future, Duration timeout) throws InterruptedException {
        return future.isDone() || until(done -> future.whenComplete((v, e) -> done.run()), timeout);
    }

    /** {@link CompletableFuture#get(long, TimeUnit)}, parked. */
    public static <T> T get(CompletableFuture<T> future, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (!untilDone(future, timeout)) {
            throw new TimeoutException("not done within " + timeout);
        }
        return future.get(); // done: returns at once
    }

    /**
     * {@link CompletableFuture#join()}, parked: waits as long as it takes; an interrupt
     * meanwhile is kept for the caller.
     */
    public static <T> T join(CompletableFuture<T> future) {
        if (!future.isDone()) {
            CountDownLatch done = new CountDownLatch(1);
            future.whenComplete((v, e) -> done.countDown());
            boolean interrupted = false;
            while (done.getCount() > 0) {
                try {
                    awaitNanos(done, TimeUnit.SECONDS.toNanos(1));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return future.join(); // done: returns or throws at once
    }

    /** {@link CountDownLatch#await(long, TimeUnit)} for at most {@code nanos} (0 or less: a check). */
    private static boolean awaitNanos(CountDownLatch latch, long nanos) throws InterruptedException {
        return latch.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
