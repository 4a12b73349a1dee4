package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.PrefetchPool;
import dev.cleanroom.core.spi.RunStatistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.RetriableException;
import org.apiguardian.api.API;

/**
 * Topics of one shape (partitions and configs) created ahead for every test of one run,
 * whatever class declared them: Kafka's part of a core {@link PrefetchPool} on the
 * server's workers. Demand is announced ({@link #expect}) from the run's test plan, or
 * class by class when there is none. Creating ahead asks for up to {@value #MAX_REQUEST}
 * topics per request (the broker's cost is mostly per request); a test that waits is served
 * by requests of at most {@value #URGENT_REQUEST}, so it gets its topic after a small request
 * rather than a large one. A config the broker refuses is kept and thrown to every test that declares the
 * shape; a retriable Kafka error fails one take and the next tries again. Untaken topics
 * go to the deleter when the run closes the pool. Thread-safe. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class TopicPool {

    static final int MAX_REQUEST = 32;
    static final int URGENT_REQUEST = 4;
    static final int MAX_AHEAD = 128;

    private final PrefetchPool<String> pool;

    /**
     * @param reserve topics kept ready while no demand is announced (the depth doubles while tests wait)
     * @param discarded receives the deletion of every topic created but never taken
     */
    public TopicPool(KafkaServer server, TopicSpec.Shape shape, int reserve, RunStatistics statistics,
                     Consumer<java.util.concurrent.CompletableFuture<Void>> discarded) {
        String what = "Kafka topic with partitions = " + shape.partitions() + ", configs = " + shape.configs();
        this.pool = PrefetchPool.<String>builder(what, server.workers(), count -> {
                    long start = System.nanoTime();
                    List<String> names = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        names.add(Names.forPool(shape));
                    }
                    List<String> created = server.createNow(names, shape, statistics, count + " " + what + "s");
                    statistics.prepared("topics", Duration.ofNanos(System.nanoTime() - start));
                    return created;
                })
                .depth(reserve)
                .maxDepth(Math.max(reserve, MAX_AHEAD))
                .maxBatch(MAX_REQUEST)
                .urgentBatch(URGENT_REQUEST)
                .discard(topic -> discarded.accept(server.deleter().deleteTopics(List.of(topic), statistics)))
                .deterministic(failure -> !isTransient(failure))
                .failureForTaker(TopicPool::failureFor)
                .build();
    }

    /** {@code takes} more takes are coming (announced by the test plan or a class). */
    public void expect(long takes) {
        pool.expectDemand(takes);
    }

    /** A fresh topic of this shape; {@code forWhom} names the declaration and the test in messages. */
    public String take(Duration timeout, String forWhom) throws InterruptedException {
        return pool.take(timeout, forWhom);
    }

    /** Stops creating; untaken topics (and late ones, when they arrive) go to the deleter. */
    public void close(Duration timeout) throws InterruptedException {
        pool.close(timeout);
    }

    private static RuntimeException failureFor(Throwable failure, String forWhom) {
        Throwable kafka = failure instanceof KafkaServer.TopicCreationException && failure.getCause() != null
                ? failure.getCause() : failure;
        return new IllegalStateException("Kafka refused to create topic " + forWhom + ": " + kafka.getMessage() + " ("
                + kafka.getClass().getSimpleName() + ")", failure);
    }

    private static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RetriableException || c instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
