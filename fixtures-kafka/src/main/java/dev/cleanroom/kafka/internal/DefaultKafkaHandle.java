package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.internal.ServerWatch;
import dev.cleanroom.core.spi.OwnedThreads;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.KafkaSettings;
import dev.cleanroom.kafka.TopicRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apiguardian.api.API;

/**
 * The per-test {@link KafkaHandle}. Clients are registered in the test's scope as they are
 * made, after the handle's own closer, so teardown closes them first and then hands the
 * test's topics and groups to the background deleter. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class DefaultKafkaHandle implements KafkaHandle {

    private static final Duration CLIENT_CLOSE = Duration.ofSeconds(5);

    private record TopicInfo(String physical, int partitions) {}

    private final KafkaServer server;
    private final TestIdentity test;
    private final IsolationScope scope;
    private final RunStatistics statistics;
    private final Map<String, TopicInfo> topics = new ConcurrentHashMap<>();
    private final Map<String, String> groups = new ConcurrentHashMap<>();
    private final List<String> owned = new ArrayList<>(); // topics to delete; guarded by owned
    private final AtomicInteger clients = new AtomicInteger();
    private volatile SharedProducer.Account account; // this test's records on the shared producer, once it used it
    private volatile boolean released;

    public DefaultKafkaHandle(KafkaServer server, TestIdentity test, IsolationScope scope, RunStatistics statistics) {
        this.server = server;
        this.test = test;
        this.scope = scope;
        this.statistics = statistics;
    }

    /** The test's topics, logical = physical, for logs and the summary. */
    String describeTopics() {
        return topics.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().physical()).sorted()
                .collect(Collectors.joining(", "));
    }

    /** Adds a declared topic taken from a pool; it is deleted with the test. */
    void adopt(String logical, String physical, int partitions) {
        synchronized (owned) {
            owned.add(physical);
            topics.put(logical, new TopicInfo(physical, partitions));
            if (account != null) {
                account.own(physical);
            }
        }
    }

    /** Queues the test's topics and groups for deletion; the future completes when Kafka confirmed it. */
    CompletableFuture<Void> release() {
        List<String> toDelete;
        synchronized (owned) {
            released = true;
            toDelete = new ArrayList<>(owned);
        }
        return CompletableFuture.allOf(server.deleter().deleteTopics(toDelete, statistics),
                server.deleter().deleteGroups(List.copyOf(groups.values()), statistics));
    }

    @Override
    public String bootstrapServers() {
        return server.bootstrapServers();
    }

    @Override
    public String topic(String logical) {
        TopicInfo info = topics.get(logical);
        if (info == null) {
            throw new IllegalArgumentException("This test has no topic \"" + logical + "\"; it has "
                    + (topics.isEmpty() ? "none" : topics.keySet().stream().sorted().collect(Collectors.joining(", ")))
                    + ". Declare it with @IsolatedKafka(topics = @Topic(name = \"" + logical
                    + "\")) or create it with createTopic(\"" + logical + "\", partitions).");
        }
        return info.physical();
    }

    @Override
    public String createTopic(String logical, int partitions, Map<String, String> configs) {
        TopicSpec spec = TopicSpec.validated(logical, partitions, configs, "createTopic in " + test.readableName());
        String physical = Names.forTest(test, logical);
        synchronized (owned) {
            if (released) {
                throw new IllegalStateException("The test " + test.readableName() + " has ended; topics are created during a test.");
            }
            if (topics.containsKey(logical)) {
                throw new IllegalArgumentException("This test already has a topic \"" + logical + "\" (" + topic(logical) + ").");
            }
            owned.add(physical); // before creating: a half-finished creation is still deleted
            topics.put(logical, new TopicInfo(physical, partitions));
            if (account != null) {
                account.own(physical);
            }
        }
        try {
            server.createNow(List.of(physical), spec.shape(), statistics, "topic \"" + logical + "\" (partitions = "
                    + partitions + ", configs = " + spec.configs() + ") for createTopic in " + test.readableName());
            statistics.used("topics", 1);
        } catch (RuntimeException e) {
            topics.remove(logical);
            throw e;
        }
        return physical;
    }

    @Override
    public String groupId(String logical) {
        return groups.computeIfAbsent(logical, l -> {
            TopicSpec.validateLogical(l, "consumer group", test.readableName());
            statistics.created("consumer groups", 1);
            statistics.used("consumer groups", 1);
            return Names.forTest(test, l);
        });
    }

    @Override
    public Map<String, Object> clientProperties() {
        return server.clientProperties();
    }

    /**
     * The run's shared producer ({@link SharedProducer}): it takes records for this test's
     * topics until the test ends; then (before the topics are deleted) the test's records on
     * their way are waited for.
     */
    @Override
    public KafkaProducer<String, String> producer() {
        server.checkAlive();
        SharedProducer.Account open = account;
        if (open != null) {
            return server.sharedProducer();
        }
        SharedProducer shared = server.sharedProducer();
        synchronized (owned) {
            if (released) {
                throw new IllegalStateException("The test " + test.readableName() + " has ended; its producer is gone.");
            }
            if (account == null) {
                SharedProducer.Account made = shared.open(test);
                topics.values().forEach(t -> made.own(t.physical()));
                account = made;
                // registered after the handle's own closer: runs before the topics are handed to the deleter
                scope.onClose("wait for the records " + test.readableName() + " sent through the shared Kafka producer",
                        made::close);
            }
        }
        return shared;
    }

    @Override
    public <K, V> KafkaProducer<K, V> producer(Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        Map<String, Object> props = clientProps("producer");
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        KafkaProducer<K, V> producer = new KafkaProducer<>(props, keySerializer, valueSerializer);
        Runnable released = OwnedThreads.register("kafka-producer-network-thread | "
                + props.get(ProducerConfig.CLIENT_ID_CONFIG));
        return scope.register("Kafka producer " + props.get(ProducerConfig.CLIENT_ID_CONFIG), producer,
                p -> closeThen(() -> p.close(CLIENT_CLOSE), released));
    }

    @Override
    public KafkaConsumer<String, String> consumer(String logicalGroup) {
        return consumer(logicalGroup, new StringDeserializer(), new StringDeserializer());
    }

    @Override
    public <K, V> KafkaConsumer<K, V> consumer(String logicalGroup, Deserializer<K> keyDeserializer,
                                               Deserializer<V> valueDeserializer) {
        Map<String, Object> props = clientProps("consumer");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(logicalGroup));
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return trackConsumer(new KafkaConsumer<>(props, keyDeserializer, valueDeserializer), props);
    }

    @Override
    public Set<TopicPartition> awaitAssignment(Consumer<?, ?> consumer) {
        return awaitAssignment(consumer, server.awaitTimeout().plus(server.initialRebalanceDelay()));
    }

    @Override
    public Set<TopicPartition> awaitAssignment(Consumer<?, ?> consumer, Duration timeout) {
        if (!consumer.assignment().isEmpty() && consumer.subscription().isEmpty()) {
            return consumer.assignment(); // assign()ed: nothing to wait for
        }
        server.checkAlive();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> firstReturned = new HashMap<>();
        String doing = "waiting for the assignment of a consumer of " + test.readableName();
        try (ServerWatch.Watch watch = server.watch(doing)) { // a hung broker fails the wait within a few probes
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                long left = Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000));
                for (ConsumerRecord<?, ?> r : consumer.poll(Duration.ofMillis(left))) {
                    firstReturned.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
                }
            }
        } catch (IllegalStateException e) { // a pattern subscription with no match yet has an empty subscription()
            if (consumer.subscription().isEmpty() && consumer.assignment().isEmpty()) {
                throw new IllegalArgumentException("awaitAssignment: the consumer has neither subscribed to topics nor been"
                        + " assigned partitions. Call consumer.subscribe(List.of(kafka.topic(\"...\"))) first.", e);
            }
            throw e;
        } catch (org.apache.kafka.common.KafkaException e) { // InterruptException too, when the watch found the broker gone
            IllegalStateException gone = server.ifGone(e, doing);
            if (gone != null) {
                throw gone;
            }
            throw e;
        }
        Set<TopicPartition> assignment = consumer.assignment();
        firstReturned.forEach((partition, offset) -> {
            if (assignment.contains(partition)) {
                consumer.seek(partition, offset); // the test's next poll returns them
            }
        });
        if (assignment.isEmpty()) {
            String group = consumer.groupMetadata().groupId();
            String waitedFor = "Expected the consumer of group " + group + " (subscribed to " + consumer.subscription()
                    + ") to be assigned partitions";
            throw new WaitTimeoutException(waitedFor, timeout, "it had none (group generation "
                    + consumer.groupMetadata().generationId() + ").", "Do the topics exist and does the group have no more"
                    + " members than they have partitions? A longer timeout: awaitAssignment(consumer, timeout).");
        }
        return assignment;
    }

    @Override
    public Admin admin() {
        Map<String, Object> props = clientProps("admin");
        Admin admin = Admin.create(props);
        Runnable released = OwnedThreads.register("kafka-admin-client-thread | "
                + props.get(AdminClientConfig.CLIENT_ID_CONFIG));
        return scope.register("Kafka admin " + props.get(AdminClientConfig.CLIENT_ID_CONFIG), admin,
                a -> closeThen(() -> a.close(CLIENT_CLOSE), released));
    }

    @Override
    public RecordMetadata send(String logicalTopic, String key, String value) {
        String physical = topic(logicalTopic);
        server.checkAlive();
        KafkaProducer<String, String> producer = producer();
        Duration timeout = server.awaitTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        String doing = "sending key=" + key + " to topic \"" + logicalTopic + "\" (" + physical + ") for " + test.readableName();
        try (ServerWatch.Watch watch = server.watch(doing)) { // a hung broker fails the send within a few probes
            return producer.send(new ProducerRecord<>(physical, key, value))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            IllegalStateException gone = server.ifGone(cause, doing);
            if (gone != null) {
                throw gone;
            }
            throw new IllegalStateException("Sending key=" + key + " to topic \"" + logicalTopic + "\" (" + physical
                    + ") failed: " + cause, cause);
        } catch (TimeoutException e) {
            IllegalStateException gone = server.ifGone(e, doing);
            if (gone != null) {
                throw gone;
            }
            String waitedFor = "Sending key=" + key + " to topic \"" + logicalTopic + "\" (" + physical + ")";
            throw new WaitTimeoutException(waitedFor + " was not acknowledged within " + timeout.toMillis() + " ms ("
                    + KafkaSettings.AWAIT_TIMEOUT.key() + ").",
                    waitedFor + " to be acknowledged", timeout, "no acknowledgement", e);
        } catch (InterruptedException e) {
            IllegalStateException gone = server.ifGone(e, doing);
            if (gone != null) {
                throw gone;
            }
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending to " + physical, e);
        }
    }

    /**
     * The settings of the producer behind {@link #send} and {@link #producer()}: it blocks for
     * metadata, and gives up on a record, within {@code cleanroom.kafka.await-timeout}, so a
     * dead broker costs one timeout.
     */
    static Map<String, Object> boundedProducerProperties(Map<String, Object> props, Duration awaitTimeout) {
        long await = awaitTimeout.toMillis();
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, await);
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, await));
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, await
                + Long.parseLong(String.valueOf(props.get(ProducerConfig.LINGER_MS_CONFIG)))));
        return props;
    }

    @Override
    public TopicRecords<String, String> records(String logicalTopic) {
        return records(logicalTopic, new StringDeserializer(), new StringDeserializer());
    }

    @Override
    public <K, V> TopicRecords<K, V> records(String logicalTopic, Deserializer<K> keyDeserializer,
                                             Deserializer<V> valueDeserializer) {
        String physical = topic(logicalTopic);
        int partitions = topics.get(logicalTopic).partitions();
        Map<String, Object> props = clientProps("reader");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<K, V> consumer = trackConsumer(new KafkaConsumer<>(props, keyDeserializer, valueDeserializer), props);
        List<TopicPartition> assignment = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(physical, p)).toList();
        consumer.assign(assignment);
        consumer.seekToBeginning(assignment);
        return new DefaultTopicRecords<>(consumer, logicalTopic, physical, server, test.readableName());
    }

    private <K, V> KafkaConsumer<K, V> trackConsumer(KafkaConsumer<K, V> consumer, Map<String, Object> props) {
        Object group = props.get(ConsumerConfig.GROUP_ID_CONFIG); // the heartbeat thread is named after the group
        Runnable released = group == null ? () -> { }
                : OwnedThreads.register("kafka-coordinator-heartbeat-thread | " + group);
        return scope.register("Kafka consumer " + props.get(ConsumerConfig.CLIENT_ID_CONFIG), consumer,
                c -> closeThen(() -> c.close(CLIENT_CLOSE), released));
    }

    /** Closes a client, then says its threads are no longer the fixture's (leak detection looks at them again). */
    private static void closeThen(Runnable close, Runnable released) {
        try {
            close.run();
        } finally {
            released.run();
        }
    }

    private Map<String, Object> clientProps(String kind) {
        Map<String, Object> props = server.clientProperties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "cr" + test.runId() + "_t" + test.sequenceToken() + "_" + kind
                + "-" + clients.incrementAndGet());
        return props;
    }

    @Override
    public String toString() {
        return "KafkaHandle[" + test.readableName() + " on " + server + ", topics " + describeTopics()
                + ", groups " + groups + "]";
    }
}
