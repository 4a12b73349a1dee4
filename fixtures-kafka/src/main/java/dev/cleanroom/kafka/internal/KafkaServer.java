package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.internal.Faults;
import dev.cleanroom.core.internal.ServerGone;
import dev.cleanroom.core.internal.ServerWatch;
import dev.cleanroom.core.internal.ThreadLeaks;
import dev.cleanroom.core.spi.PrefetchWorkers;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apiguardian.api.API;

/**
 * The suite's Kafka broker as the fixture uses it: one admin client, the background
 * deleter, the workers that create topics ahead, and (for brokers other runs may share) the run's lease.
 * Closing confirms every deletion, then stops the broker. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class KafkaServer implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final String INITIAL_REBALANCE_DELAY = "group.initial.rebalance.delay.ms";

    private final Broker broker;
    private final Map<String, Object> clientProperties;
    private final Admin admin;
    private final Deleter deleter;
    private final PrefetchWorkers workers;
    private final RunLease lease;
    private final Duration awaitTimeout;
    private final int prefetch;
    private final ServerGone gone = new ServerGone("Kafka");
    private final Duration probeTimeout;
    private final Admin probe; // a client of its own: its requests never queue behind the admin's slow ones
    private final ServerWatch watch;
    private volatile SharedProducer producer; // made on first use, closed with the server
    private volatile Duration initialRebalanceDelay = Duration.ZERO; // the broker's, read once after start
    private boolean closing; // guarded by this

    KafkaServer(Broker broker, Configuration configuration) throws Exception {
        this.broker = broker;
        Map<String, Object> props = new LinkedHashMap<>(configuration.withPrefix(KafkaSettings.CLIENT));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        this.clientProperties = Map.copyOf(props);
        this.awaitTimeout = configuration.get(KafkaSettings.AWAIT_TIMEOUT);
        this.prefetch = configuration.get(KafkaSettings.PREFETCH);
        Map<String, Object> adminProps = new HashMap<>(clientProperties);
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "cr" + RunId.current() + "_admin");
        adminProps.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        this.admin = Admin.create(adminProps);
        this.probeTimeout = configuration.get(KafkaSettings.PROBE_TIMEOUT);
        Map<String, Object> probeProps = new HashMap<>(clientProperties);
        probeProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "cr" + RunId.current() + "_probe");
        int probeMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, probeTimeout.toMillis()));
        probeProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, probeMillis);
        probeProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, probeMillis);
        this.watch = new ServerWatch(gone, this::toString, probeTimeout, broker::whyGone, this::notAnswering,
                "cleanroom-kafka-probe");
        // each step releases what the steps before it made if it fails: nothing of a failed start stays
        Admin probe = null;
        Deleter deleter = null;
        PrefetchWorkers workers = null;
        RunLease lease = null;
        try {
            Faults.check("kafka.server.after-admin");
            awaitReady(configuration);
            probe = Admin.create(probeProps);
            Faults.check("kafka.server.after-probe");
            deleter = new Deleter(admin, REQUEST_TIMEOUT);
            Faults.check("kafka.server.after-deleter");
            // one more than the default: creating topics mostly waits on the broker's metadata, and one thread is
            // kept for waiting tests, so two prefetch requests can overlap even on 2 cores
            workers = new PrefetchWorkers("cleanroom-kafka-create-", PrefetchWorkers.defaultConcurrency() + 1);
            Faults.check("kafka.server.after-creator");
            if (broker.shared()) {
                lease = new RunLease(clientProperties, RunId.current());
                Faults.check("kafka.server.after-lease");
                OrphanCleaner.clean(admin, RunId.current(), configuration.get(KafkaSettings.ORPHAN_AGE));
            }
        } catch (Exception | Error e) {
            List<AutoCloseable> made = new ArrayList<>();
            if (lease != null) made.add(lease);
            if (workers != null) {
                PrefetchWorkers w = workers;
                made.add(() -> w.close(Duration.ofSeconds(5)));
            }
            made.add(() -> admin.close(Duration.ofSeconds(5))); // fails the deleter's requests, so it stops at once
            if (deleter != null) made.add(deleter);
            if (probe != null) {
                Admin p = probe;
                made.add(() -> p.close(Duration.ofSeconds(5)));
            }
            made.add(watch);
            for (AutoCloseable closer : made) {
                try {
                    closer.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        this.probe = probe;
        this.deleter = deleter;
        this.workers = workers;
        this.lease = lease;
        Thread reader = new Thread(ThreadLeaks.SHARED_SERVER_GROUP, this::readInitialRebalanceDelay,
                "cleanroom-kafka-read-config");
        reader.setDaemon(true);
        reader.start(); // off the test thread: no test waits for it
    }

    /**
     * Reads the broker's {@code group.initial.rebalance.delay.ms} once (describeConfigs of one
     * broker); if it is not 0, says once what it costs: every test's consumer group waits that
     * long on its first join. Kafka's own default is 3 s; Cleanroom's container and embedded
     * brokers set 0, so this is mostly about external clusters.
     */
    private void readInitialRebalanceDelay() {
        try {
            int node = admin.describeCluster().nodes().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .iterator().next().id();
            org.apache.kafka.common.config.ConfigResource resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.BROKER, String.valueOf(node));
            org.apache.kafka.clients.admin.ConfigEntry entry = admin.describeConfigs(List.of(resource)).all()
                    .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource).get(INITIAL_REBALANCE_DELAY);
            long millis = entry == null || entry.value() == null ? 0 : Long.parseLong(entry.value());
            initialRebalanceDelay = Duration.ofMillis(millis);
            if (millis > 0) {
                System.err.println("[cleanroom] " + this + " has " + INITIAL_REBALANCE_DELAY + "=" + millis + ": each test's"
                        + " consumer group waits " + millis + " ms on its first join (KafkaHandle.awaitAssignment allows"
                        + " for it); set it to 0 on a cluster used for tests to save that per test that consumes.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) { // not allowed to describe configs, closed meanwhile: the wait just has no allowance
            System.getLogger(KafkaServer.class.getName()).log(System.Logger.Level.DEBUG,
                    () -> "[cleanroom] could not read " + INITIAL_REBALANCE_DELAY + " of " + this + ": " + e);
        }
    }

    /** The broker's {@code group.initial.rebalance.delay.ms}, once read (0 until then, or if it could not be). */
    Duration initialRebalanceDelay() {
        return initialRebalanceDelay;
    }

    private void awaitReady(Configuration configuration) throws Exception {
        try {
            admin.describeCluster().nodes().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + broker.bootstrapServers() + " (" + broker.describe()
                    + ") did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s: " + (e.getCause() == null ? e : e.getCause())
                    + ". Check the address and the cleanroom.kafka.client.* security settings." + broker.diagnostics(), e);
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Bootstrap servers plus the pass-through client settings; a fresh mutable copy. */
    public Map<String, Object> clientProperties() {
        return new HashMap<>(clientProperties);
    }

    public Admin admin() {
        return admin;
    }

    public Deleter deleter() {
        return deleter;
    }

    /**
     * The run's String producer ({@code acks=all}, {@code linger.ms=0}, bounded by
     * cleanroom.kafka.await-timeout like {@code send}), made on first use and closed with
     * the server: a test no longer builds (and the broker no longer registers) a producer of
     * its own for {@code producer()} and {@code send}.
     */
    SharedProducer sharedProducer() {
        SharedProducer made = producer;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (closing) {
                throw new IllegalStateException(this + " is closing: the run has ended.");
            }
            if (producer == null) {
                Map<String, Object> props = clientProperties();
                props.put(org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG, "cr" + RunId.current() + "_producer");
                producer = SharedProducer.create(DefaultKafkaHandle.boundedProducerProperties(props, awaitTimeout), awaitTimeout);
            }
            return producer;
        }
    }

    public Duration awaitTimeout() {
        return awaitTimeout;
    }

    public int prefetch() {
        return prefetch;
    }

    public String describe() {
        return broker.describe();
    }

    /** The threads that create topics ahead for the runs' pools; a waiting test's request goes first. */
    public PrefetchWorkers workers() {
        return workers;
    }

    /** Fails at once, with the first message, if the broker was found gone. */
    public void checkAlive() {
        gone.check();
    }

    public boolean isGone() {
        return gone.isGone();
    }

    /**
     * After a request failed or timed out while {@code doing}: if the broker is gone (its
     * container or process, or it missed two probes in a row), the failure that names it (and
     * is remembered for every later test); else null, and the caller reports its own failure.
     */
    public IllegalStateException ifGone(Throwable failure, String doing) {
        return watch.ifGone(failure, doing);
    }

    /**
     * Watches the broker while the calling thread waits for {@code doing} (send, await, a
     * topic): a broker found gone meanwhile is declared so and the waiting thread interrupted.
     * Close it when the wait ends (the interrupt it caused is cleared), then ask {@link #ifGone}.
     */
    public ServerWatch.Watch watch(String doing) {
        return watch.watch(doing);
    }

    /** Empty if the broker answers a describeCluster request on the probe's client within cleanroom.kafka.probe-timeout. */
    private Optional<String> notAnswering() {
        try {
            probe.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE,
                    probeTimeout.toMillis()))).nodes().get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Optional.of("it is not answering: a describeCluster request did not succeed within "
                    + KafkaSettings.PROBE_TIMEOUT.key() + " (" + probeTimeout.toMillis() + " ms): "
                    + (e.getCause() == null ? e : e.getCause()));
        }
    }

    /**
     * Creates {@code names} with {@code shape} on the calling thread and waits until the
     * metadata lists them. If any fails, the ones that were created are deleted (confirmed)
     * and an exception names {@code what} and keeps Kafka's error as its cause.
     */
    public List<String> createNow(Collection<String> names, TopicSpec.Shape shape, RunStatistics statistics, String what) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, Optional.of(shape.partitions()), Optional.empty()).configs(shape.configs()));
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
        List<String> created = new ArrayList<>();
        Throwable failure = null;
        boolean interrupted = false;
        for (String name : names) {
            while (true) {
                try {
                    Latched.await(results.get(name), REQUEST_TIMEOUT); // no managed block: createTopic runs on test threads
                    created.add(name);
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                } catch (java.util.concurrent.TimeoutException e) {
                    failure = failure == null ? e : failure;
                } catch (InterruptedException e) {
                    // learn the outcome anyway (bounded), so that what was made is counted and deleted exactly
                    interrupted = true;
                    continue;
                }
                break;
            }
        }
        try {
            statistics.created("topics", created.size());
            if (interrupted) {
                failure = new InterruptedException("interrupted");
            } else if (failure == null) {
                failure = awaitVisible(created);
            }
            if (failure != null) {
                try { // confirmed before the failure is reported, so "nothing left behind" holds when the caller looks
                    deleter.await(deleter.deleteTopics(created, statistics), REQUEST_TIMEOUT, "the deletion of " + created);
                } catch (Exception | WaitTimeoutException e) {
                    if (e instanceof InterruptedException) {
                        interrupted = true;
                    }
                    failure.addSuppressed(e);
                }
                if (failure instanceof InterruptedException) {
                    throw new TopicCreationException("Creating " + what + " was interrupted (by a @Timeout, or because"
                            + " the test ended) before Kafka confirmed it; what it made was deleted.", failure);
                }
                throw new TopicCreationException("Kafka refused to create " + what + ": " + failure.getMessage() + " ("
                        + failure.getClass().getSimpleName() + ")", failure);
            }
            return created;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kafka did not create a topic; the cause is Kafka's error. */
    public static final class TopicCreationException extends IllegalStateException {
        TopicCreationException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Waits until the broker's metadata knows {@code names} (a describeTopics of exactly them
     * succeeds), so clients (and deletion) see them at once; never lists every topic of the broker.
     */
    private Throwable awaitVisible(List<String> names) {
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
        List<String> unseen = new ArrayList<>(names);
        try {
            while (true) {
                Map<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> described =
                        admin.describeTopics(unseen).topicNameValues();
                for (java.util.Iterator<String> it = unseen.iterator(); it.hasNext(); ) {
                    try {
                        Latched.await(described.get(it.next()), REQUEST_TIMEOUT);
                        it.remove();
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                            return e.getCause();
                        }
                    }
                }
                if (unseen.isEmpty()) {
                    return null;
                }
                if (System.nanoTime() > deadline) {
                    return new java.util.concurrent.TimeoutException("created topics not visible in the metadata: " + unseen);
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (java.util.concurrent.TimeoutException e) {
            return e;
        }
    }

    /** Ends the lease and deletes its group, confirms every queued deletion, then stops the admin client and the broker. */
    @Override
    public void close() throws Exception {
        Throwable failure = null;
        SharedProducer shared;
        synchronized (this) {
            closing = true;
            shared = producer;
        }
        if (shared != null) { // first: the tests are over, what it still holds goes out before the broker stops
            try {
                shared.closeForRun(gone.isGone() ? Duration.ZERO : Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (!gone.isGone()) { // a dead broker deletes nothing: no waiting for it
            try {
                if (lease != null) { // the run ends: leave the lease group, then delete it with the rest
                    lease.close();
                    deleter.deleteGroups(List.of(Names.leaseGroup(RunId.current())), RunStatistics.detached()); // not a test's group: not counted
                }
                deleter.awaitAll(Duration.ofMinutes(1));
            } catch (Exception | WaitTimeoutException e) {
                if (failure == null) failure = e; else failure.addSuppressed(e);
            }
        } else {
            admin.close(Duration.ZERO); // fails the deleter's pending requests at once
        }
        List<AutoCloseable> closers = new ArrayList<>();
        closers.add(() -> workers.close(Duration.ofSeconds(10)));
        closers.add(deleter);
        if (lease != null) {
            closers.add(lease);
        }
        closers.add(() -> admin.close(Duration.ofSeconds(10)));
        closers.add(watch);
        closers.add(() -> probe.close(gone.isGone() ? Duration.ZERO : Duration.ofSeconds(10)));
        closers.add(broker);
        for (AutoCloseable closer : closers) {
            try {
                closer.close();
            } catch (Exception e) {
                if (failure == null) failure = e; else failure.addSuppressed(e);
            }
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure != null) {
            throw (Error) failure;
        }
    }

    @Override
    public String toString() {
        return "Kafka " + broker.describe() + " at " + broker.bootstrapServers();
    }
}
