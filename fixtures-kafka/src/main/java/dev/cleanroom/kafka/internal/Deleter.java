package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.spi.Park;
import dev.cleanroom.core.spi.RunStatistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apiguardian.api.API;

/**
 * Deletes topics and consumer groups off the test thread: tests hand their names over
 * and go on; one daemon thread per broker deletes whatever has piled up in one request
 * per kind, and completes each name's future when the broker confirmed it: a topic when
 * a describeTopics of exactly the deleted names (backing off from 10 to 500 ms) answers
 * "unknown topic" for it, never by listing every topic of the broker. A group that
 * was never joined does not exist, which counts as deleted. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class Deleter implements AutoCloseable {

    private static final int GROUP_ATTEMPTS = 20;
    private static final int TOPIC_ATTEMPTS = 5;
    /** How long one deletion request's topics may take to leave the metadata before it is sent again. */
    private static final Duration CONFIRM_WINDOW = Duration.ofSeconds(10);
    private static final long FIRST_BACKOFF_MILLIS = 10;
    private static final long MAX_BACKOFF_MILLIS = 500;
    private static final int NAMES_SHOWN = 10;

    private static final class Request {
        final String name;
        final boolean topic;
        final RunStatistics statistics;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile String state = "queued";

        Request(String name, boolean topic, RunStatistics statistics) {
            this.name = name;
            this.topic = topic;
            this.statistics = statistics;
        }

        String name() { return name; }
        boolean topic() { return topic; }
        RunStatistics statistics() { return statistics; }
        CompletableFuture<Void> done() { return done; }
    }

    private final Admin admin;
    private final Duration requestTimeout;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<CompletableFuture<Void>> all = new ArrayList<>(); // guarded by all
    private final Map<Request, Boolean> unconfirmed = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;

    public Deleter(Admin admin, Duration requestTimeout) {
        this.admin = admin;
        this.requestTimeout = requestTimeout;
        this.thread = new Thread(this::run, "cleanroom-kafka-deleter");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues topics for deletion, counted for {@code statistics}; the future completes when all are confirmed deleted. */
    public CompletableFuture<Void> deleteTopics(Collection<String> topics, RunStatistics statistics) {
        return submit(topics, true, statistics);
    }

    /** Queues consumer groups for deletion, counted for {@code statistics}. */
    public CompletableFuture<Void> deleteGroups(Collection<String> groups, RunStatistics statistics) {
        return submit(groups, false, statistics);
    }

    private CompletableFuture<Void> submit(Collection<String> names, boolean topic, RunStatistics statistics) {
        if (names.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (String name : names) {
            Request r = new Request(name, topic, statistics);
            futures.add(r.done());
            unconfirmed.put(r, Boolean.TRUE);
            r.done().whenComplete((v, e) -> unconfirmed.remove(r));
            queue.add(r);
        }
        synchronized (all) {
            all.addAll(futures);
        }
        if (stopping) {
            failAll(new IllegalStateException("the Kafka server is already closed"));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    /** Waits until every deletion submitted so far is confirmed; throws the first failure with the others suppressed. */
    public void awaitAll(Duration timeout) throws Exception {
        List<CompletableFuture<Void>> snapshot;
        synchronized (all) {
            snapshot = new ArrayList<>(all);
        }
        await(CompletableFuture.allOf(snapshot.toArray(CompletableFuture[]::new)), timeout, snapshot.size() + " deletions");
    }

    /**
     * Waits for {@code deletions} with a timed latch (no managed block); if they time out, a
     * {@link WaitTimeoutException} names {@code what} and what the deleter still waits for.
     */
    public void await(CompletableFuture<Void> deletions, Duration timeout, String what) throws Exception {
        try {
            Park.get(deletions, timeout);
        } catch (TimeoutException e) {
            throw new WaitTimeoutException("Waited for Kafka to confirm " + what, timeout, describeUnconfirmed(),
                    "Is the broker overloaded or gone? Its log may say why it did not delete them.");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** What the deleter has not confirmed yet, and what it last saw of each (the first few). */
    String describeUnconfirmed() {
        List<Request> open = new ArrayList<>(unconfirmed.keySet());
        if (open.isEmpty()) {
            return "the deleter had confirmed every name it was given.";
        }
        open.sort(java.util.Comparator.comparing(Request::name));
        return open.size() + " not confirmed deleted: " + open.stream().limit(NAMES_SHOWN)
                .map(r -> (r.topic() ? "topic " : "group ") + r.name() + " (" + r.state + ")")
                .collect(Collectors.joining(", ")) + (open.size() > NAMES_SHOWN ? ", ..." : "") + ".";
    }

    private void run() {
        while (!stopping || !queue.isEmpty()) {
            try {
                Request first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Request> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch); // whatever piled up meanwhile goes in the same requests
                deleteBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failAll(new IllegalStateException("the Kafka deleter was interrupted"));
                return;
            } catch (RuntimeException | Error e) {
                failAll(e);
                if (e instanceof VirtualMachineError) throw e;
            }
        }
    }

    private void deleteBatch(List<Request> batch) throws InterruptedException {
        Map<String, Request> topics = new LinkedHashMap<>();
        Map<String, Request> groups = new LinkedHashMap<>();
        for (Request r : batch) {
            (r.topic() ? topics : groups).put(r.name(), r);
        }
        deleteTopics(topics);
        for (int attempt = 1; !groups.isEmpty(); attempt++) {
            Map<String, KafkaFuture<Void>> results = admin.deleteConsumerGroups(groups.keySet()).deletedGroups();
            Map<String, Request> retry = new LinkedHashMap<>();
            for (Map.Entry<String, Request> e : groups.entrySet()) {
                Throwable failure = failureOf(results.get(e.getKey()));
                if (failure instanceof GroupNotEmptyException && attempt < GROUP_ATTEMPTS) {
                    e.getValue().state = "not empty after " + attempt + " attempts";
                    retry.put(e.getKey(), e.getValue()); // a member's leave request is still on its way
                } else {
                    complete(e.getValue(), results.get(e.getKey()), GroupIdNotFoundException.class, "consumer groups");
                }
            }
            groups = retry;
            if (!groups.isEmpty()) {
                Thread.sleep(100);
            }
        }
    }

    /**
     * One deleteTopics request for the batch, then describeTopics of exactly those names with
     * a growing backoff until the metadata knows none of them (unknown topic = gone): never a
     * listing of every topic of the broker. A topic still described after the confirmation
     * window is deleted again, up to {@link #TOPIC_ATTEMPTS} times.
     */
    private void deleteTopics(Map<String, Request> topics) throws InterruptedException {
        Map<String, Request> remaining = topics;
        for (int attempt = 1; !remaining.isEmpty(); attempt++) {
            Map<String, KafkaFuture<Void>> results = admin.deleteTopics(remaining.keySet()).topicNameValues();
            Map<String, Request> pending = new LinkedHashMap<>();
            for (Map.Entry<String, Request> e : remaining.entrySet()) {
                Throwable failure = failureOf(results.get(e.getKey()));
                if (failure == null || failure instanceof UnknownTopicOrPartitionException) {
                    e.getValue().state = "deletion accepted, still in the metadata (attempt " + attempt + ")";
                    pending.put(e.getKey(), e.getValue()); // the controller's answer; confirmed below by the metadata
                } else if (attempt < TOPIC_ATTEMPTS && failure instanceof org.apache.kafka.common.errors.RetriableException) {
                    e.getValue().state = "deletion failed, retried: " + failure;
                    pending.put(e.getKey(), e.getValue());
                } else {
                    e.getValue().done().completeExceptionally(new IllegalStateException("Could not delete topic "
                            + e.getKey() + ": " + failure, failure));
                }
            }
            confirmGone(pending);
            if (!pending.isEmpty() && attempt >= TOPIC_ATTEMPTS) {
                for (Request r : pending.values()) {
                    r.done().completeExceptionally(new IllegalStateException("Could not delete topic " + r.name()
                            + ": still described by the broker after " + attempt + " deletions (" + r.state + ")"));
                }
                pending.clear();
            }
            remaining = pending;
        }
    }

    /** Describes {@code pending}'s names (backing off) and completes those the metadata no longer knows; removes them. */
    private void confirmGone(Map<String, Request> pending) throws InterruptedException {
        long deadline = System.nanoTime() + CONFIRM_WINDOW.toNanos();
        long backoff = FIRST_BACKOFF_MILLIS;
        while (!pending.isEmpty()) {
            Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(pending.keySet()).topicNameValues();
            for (java.util.Iterator<Map.Entry<String, Request>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Request> e = it.next();
                Throwable failure = failureOf(described.get(e.getKey()));
                if (failure instanceof UnknownTopicOrPartitionException) {
                    e.getValue().statistics().removed("topics", 1);
                    e.getValue().done().complete(null);
                    it.remove();
                } else if (failure != null) {
                    e.getValue().state = "describing it failed: " + failure;
                }
            }
            if (pending.isEmpty() || System.nanoTime() + backoff * 1_000_000 > deadline) {
                return;
            }
            Thread.sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    private void complete(Request r, KafkaFuture<Void> result, Class<? extends Throwable> alreadyGone, String kind) {
        Throwable failure = failureOf(result);
        if (failure == null || alreadyGone.isInstance(failure)) { // gone either way
            r.statistics().removed(kind, 1);
            r.done().complete(null);
        } else {
            r.done().completeExceptionally(new IllegalStateException("Could not delete " + (r.topic() ? "topic " : "consumer group ")
                    + r.name() + ": " + failure, failure));
        }
    }

    private Throwable failureOf(KafkaFuture<?> result) {
        try {
            Latched.await(result, requestTimeout);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (TimeoutException e) {
            return e;
        }
    }

    private void failAll(Throwable cause) {
        Request r;
        while ((r = queue.poll()) != null) {
            r.done().completeExceptionally(cause);
        }
    }

    /** Stops after the queue is drained. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(requestTimeout.toMillis() * 3);
        failAll(new IllegalStateException("the Kafka server closed before this deletion ran"));
    }
}
