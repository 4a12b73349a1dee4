package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.spi.RunStatistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apiguardian.api.API;

/**
 * Deletes topics and consumer groups off the test thread: tests hand their names over
 * and go on; one daemon thread per broker deletes whatever has piled up in one request
 * per kind, and completes each name's future when the broker confirmed it. A group that
 * was never joined does not exist, which counts as deleted. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class Deleter implements AutoCloseable {

    private static final int GROUP_ATTEMPTS = 20;

    private record Request(String name, boolean topic, RunStatistics statistics, CompletableFuture<Void> done) {}

    private final Admin admin;
    private final Duration requestTimeout;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<CompletableFuture<Void>> all = new ArrayList<>(); // guarded by all
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
            CompletableFuture<Void> done = new CompletableFuture<>();
            futures.add(done);
            queue.add(new Request(name, topic, statistics, done));
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

    /** Waits for {@code deletions}, naming {@code what} if they time out. */
    public static void await(CompletableFuture<Void> deletions, Duration timeout, String what) throws Exception {
        try {
            deletions.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("Kafka did not confirm " + what + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
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
                queue.drainTo(batch);
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
        // "unknown topic" can also mean "not yet visible to the broker that answered" (a topic
        // created a moment ago), so a topic counts as deleted only once the metadata lists it no more
        Map<String, Request> remaining = topics;
        for (int attempt = 1; !remaining.isEmpty(); attempt++) {
            Map<String, KafkaFuture<Void>> results = admin.deleteTopics(remaining.keySet()).topicNameValues();
            Map<String, Throwable> failures = new LinkedHashMap<>();
            remaining.keySet().forEach(name -> failures.put(name, failureOf(results.get(name))));
            awaitGoneFromMetadata(remaining.keySet());
            java.util.Set<String> listed = listTopics();
            Map<String, Request> again = new LinkedHashMap<>();
            for (Map.Entry<String, Request> e : remaining.entrySet()) {
                Throwable failure = failures.get(e.getKey());
                boolean gone = listed != null && !listed.contains(e.getKey());
                if (gone) {
                    e.getValue().statistics().removed("topics", 1);
                    e.getValue().done().complete(null);
                } else if (attempt < GROUP_ATTEMPTS && (failure == null || failure instanceof UnknownTopicOrPartitionException)) {
                    again.put(e.getKey(), e.getValue());
                } else {
                    e.getValue().done().completeExceptionally(new IllegalStateException("Could not delete topic "
                            + e.getKey() + ": " + (failure == null ? "still listed after " + attempt + " attempts" : failure), failure));
                }
            }
            remaining = again;
            if (!remaining.isEmpty()) {
                Thread.sleep(100);
            }
        }
        for (int attempt = 1; !groups.isEmpty(); attempt++) {
            Map<String, KafkaFuture<Void>> results = admin.deleteConsumerGroups(groups.keySet()).deletedGroups();
            Map<String, Request> retry = new LinkedHashMap<>();
            for (Map.Entry<String, Request> e : groups.entrySet()) {
                Throwable failure = failureOf(results.get(e.getKey()));
                if (failure instanceof GroupNotEmptyException && attempt < GROUP_ATTEMPTS) {
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

    /** The controller confirmed; wait until the broker's metadata (what clients see) no longer lists them. */
    private void awaitGoneFromMetadata(java.util.Set<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                java.util.Set<String> listed = admin.listTopics().names().get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (names.stream().noneMatch(listed::contains)) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                return; // the per-topic results below report the failure
            }
            Thread.sleep(20);
        }
    }

    private java.util.Set<String> listTopics() {
        try {
            return admin.listTopics().names().get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
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

    private Throwable failureOf(KafkaFuture<Void> result) {
        try {
            result.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
