package dev.cleanroom.kafka.internal;

import dev.cleanroom.core.spi.Park;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/**
 * Waits for a Kafka future parked ({@link Park}), never with {@code get}: a
 * {@code KafkaFuture.get} is a {@code CompletableFuture.get} underneath, a managed block that
 * makes JUnit's ForkJoinPool start another test on a worker thread.
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
        return Park.get(plain, timeout);
    }
}
