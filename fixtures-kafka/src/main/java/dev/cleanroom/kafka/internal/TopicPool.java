package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.RunStatistics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.apiguardian.api.API;

/**
 * Topics of one shape (partitions and configs) created ahead for every test of one run,
 * whatever class declared them. Each test class announces how many it will take
 * ({@link #expect}) when it starts; the pool keeps that many plus a reserve created or on
 * their way, in requests of at most {@value #MAX_REQUEST} topics. When a test finds the
 * pool empty, its topic is requested ahead of the prefetch work and the reserve doubles
 * (never above an eighth of the topics taken so far, or {@value #MAX_RESERVE}), so that
 * topics created but never used stay few. A deterministic creation failure (a config the
 * broker refuses) is kept and thrown to every later taker; a transient one (a retriable
 * Kafka error) fails the tests waiting at that moment, and the next take tries again.
 * Thread-safe. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class TopicPool {

    static final int MAX_REQUEST = 16;
    static final int MAX_RESERVE = 64;

    private final KafkaServer server;
    private final TopicSpec.Shape shape;
    private final RunStatistics statistics;
    private final Deque<String> available = new ArrayDeque<>(); // guarded by this
    private final List<CompletableFuture<?>> creations = new ArrayList<>(); // guarded by this
    private final int minReserve;
    private int reserve; // guarded by this
    private long expected; // guarded by this; announced takes that have not happened yet
    private long taken; // guarded by this
    private int inFlight; // guarded by this
    private int waiters; // guarded by this
    private RuntimeException failure; // guarded by this; deterministic: every later take throws it
    private RuntimeException transientFailure; // guarded by this; thrown to the takers waiting when it happened
    private long transientFailures; // guarded by this
    private boolean closed; // guarded by this
    private boolean collected; // guarded by this; close() queued the untaken topics for deletion

    /** Creates nothing until a class announces demand or a test takes. */
    public TopicPool(KafkaServer server, TopicSpec.Shape shape, int reserve, RunStatistics statistics) {
        this.server = server;
        this.shape = shape;
        this.minReserve = Math.max(0, reserve);
        this.reserve = minReserve;
        this.statistics = statistics;
    }

    /** {@code takes} more tests will take a topic of this shape soon: create them ahead. */
    public synchronized void expect(long takes) {
        expected += takes;
        refill(false);
    }

    /** The outcome of {@link #take}: the topic and how long the test waited for it. */
    public record Taken(String topic, Duration waited) {}

    /** A fresh topic of this shape; waits (ahead of prefetch work) if none is ready. */
    public synchronized Taken take(Duration timeout) throws InterruptedException {
        taken++;
        if (expected > 0) {
            expected--;
        }
        if (failure != null) {
            throw failure;
        }
        if (!available.isEmpty()) {
            String topic = available.poll();
            refill(false);
            return new Taken(topic, Duration.ZERO);
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long failuresBefore = transientFailures;
        waiters++;
        reserve = (int) Math.min(Math.min(MAX_RESERVE, Math.max(minReserve, taken / 8)), Math.max(1, reserve * 2L));
        try {
            refill(true);
            while (available.isEmpty() && failure == null && transientFailures == failuresBefore) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("Kafka did not create a topic with " + describe() + " within "
                            + timeout.toMillis() + " ms");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } finally {
            waiters--;
        }
        if (!available.isEmpty()) {
            String topic = available.poll();
            refill(false);
            return new Taken(topic, Duration.ofNanos(System.nanoTime() - start));
        }
        throw failure != null ? failure : transientFailure;
    }

    /** Requests what the waiting tests, the announced takes and the reserve need beyond what exists or is coming. */
    private void refill(boolean urgent) { // holding this
        if (closed || failure != null) {
            return;
        }
        long wanted = waiters + Math.min(expected, MAX_RESERVE * 4L) + reserve;
        long missing = wanted - available.size() - inFlight;
        if (urgent) { // the waiting test's own topic, ahead of every prefetch request queued
            request(1, true);
            missing--;
        }
        while (missing > 0) {
            int n = (int) Math.min(missing, MAX_REQUEST);
            request(n, false);
            missing -= n;
        }
    }

    private void request(int count, boolean urgent) { // holding this
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(Names.forPool(shape));
        }
        inFlight += count;
        creations.add(server.createTopics(names, shape, statistics, urgent).whenComplete((created, error) -> {
            synchronized (TopicPool.this) {
                inFlight -= count;
                if (error != null) {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    RuntimeException e = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                    if (isTransient(cause)) {
                        transientFailure = e;
                        transientFailures++;
                    } else if (failure == null) {
                        failure = e;
                    }
                }
                if (created != null) {
                    if (collected) { // close() gave up waiting and already queued the rest: delete these now
                        server.deleter().deleteTopics(created, statistics);
                    } else {
                        available.addAll(created);
                    }
                }
                TopicPool.this.notifyAll();
            }
        }));
    }

    private static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RetriableException || c instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The shape in words, for messages. */
    String describe() {
        return "partitions = " + shape.partitions() + ", configs = " + shape.configs();
    }

    /** Stops creating; waits (bounded) for requests in flight; queues the untaken topics for deletion. */
    public CompletableFuture<Void> close(Duration timeout) throws InterruptedException {
        List<CompletableFuture<?>> pending;
        synchronized (this) {
            closed = true;
            pending = new ArrayList<>(creations);
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // a failed request deleted what it made; a late one deletes its topics when it completes (collected)
        }
        synchronized (this) {
            collected = true;
            List<String> leftovers = new ArrayList<>(available);
            available.clear();
            return server.deleter().deleteTopics(leftovers, statistics);
        }
    }
}
