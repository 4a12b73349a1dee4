package dev.cleanroom.kafka.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/**
 * Waits for a future with {@code whenComplete} and a timed {@link CountDownLatch}, never with
 * {@code get}: a {@code KafkaFuture.get} is a {@code CompletableFuture.get} underneath, a
 * managed block that makes JUnit's ForkJoinPool start another test on a worker thread.
 * Once the latch opened the future is done, and reading it does not block. (Core's
 * {@code Park} helper is to replace this when it lands.)
 */
final class Latched {

    private Latched() {}

    /** The value of {@code future}, or its failure as an {@link ExecutionException}, or a {@link TimeoutException}. */
    static <T> T await(KafkaFuture<T> future, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<T> plain = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure == null) {
                plain.complete(value);
            } else {
                plain.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
            }
        });
        return await(plain, timeout);
    }

    /** As {@link #await(KafkaFuture, Duration)} for a {@link CompletableFuture}. */
    static <T> T await(CompletableFuture<T> future, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        CountDownLatch done = new CountDownLatch(1);
        future.whenComplete((value, failure) -> done.countDown());
        if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("not done within " + timeout.toMillis() + " ms");
        }
        return future.get(); // done: returns at once
    }

}
