package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * Topics of one declared shape created ahead, in batches, for the tests of one class. A
 * test takes one (usually without waiting); when the pool runs low, the next batch is
 * created in the background; the batch doubles (up to 64) whenever a test had to wait. A creation failure (say, a config the broker refuses) is
 * kept and thrown to every later taker. At class end the topics nobody took are deleted.
 * Thread-safe. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class TopicPool {

    private final KafkaServer server;
    private final String classSlug;
    private final TopicSpec spec;
    private final String where;
    private static final int MAX_BATCH = 64;
    private int batch; // guarded by this; doubles whenever a taker had to wait
    private final Deque<String> available = new ArrayDeque<>(); // guarded by this
    private final List<CompletableFuture<?>> creations = new ArrayList<>(); // guarded by this
    private int inFlight; // guarded by this
    private boolean collected; // guarded by this; close() has queued the untaken topics for deletion
    private RuntimeException failure; // guarded by this
    private boolean closed; // guarded by this

    /** Starts creating the first {@code batch} topics at once. */
    public TopicPool(KafkaServer server, String classSlug, TopicSpec spec, String where, int batch) {
        this.server = server;
        this.classSlug = classSlug;
        this.spec = spec;
        this.where = where;
        this.batch = Math.max(1, batch);
        synchronized (this) {
            refill();
        }
    }

    /** A fresh topic of this shape, waiting for the batch being created if there is none yet. */
    public synchronized String take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (available.isEmpty() && inFlight == 0 && failure == null) {
            refill();
        }
        if (available.isEmpty() && failure == null) {
            batch = Math.min(MAX_BATCH, batch * 2); // tests outrun creation: create more at a time
        }
        while (available.isEmpty() && failure == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("Kafka did not create topic \"" + spec.logical() + "\" (declared on "
                        + where + ") within " + timeout.toMillis() + " ms");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (failure != null) {
            throw failure;
        }
        String topic = available.poll();
        if (available.size() + inFlight <= batch / 2) {
            refill();
        }
        return topic;
    }

    private void refill() { // holding this
        if (closed) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            names.add(Names.forPool(classSlug, spec.logical()));
        }
        inFlight += names.size();
        creations.add(server.createTopics(names, spec, where).whenComplete((created, error) -> {
            synchronized (TopicPool.this) {
                inFlight -= names.size();
                if (error != null && failure == null) {
                    failure = error instanceof RuntimeException re ? re : new IllegalStateException(error);
                }
                if (created != null) {
                    if (collected) { // close() gave up waiting and has already queued the rest: delete these now
                        server.deleter().deleteTopics(created);
                    } else {
                        available.addAll(created);
                    }
                }
                TopicPool.this.notifyAll();
            }
        }));
    }

    /** Stops refilling; waits for creations in flight; queues the untaken topics for deletion. */
    public CompletableFuture<Void> close(Duration timeout) throws InterruptedException {
        List<CompletableFuture<?>> pending;
        synchronized (this) {
            closed = true;
            pending = new ArrayList<>(creations);
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a failed batch deleted what it made; a late one deletes its topics when it completes (collected)
        }
        synchronized (this) {
            collected = true; // batches that complete from now on delete their own topics
            List<String> leftovers = new ArrayList<>(available);
            available.clear();
            return server.deleter().deleteTopics(leftovers);
        }
    }
}
