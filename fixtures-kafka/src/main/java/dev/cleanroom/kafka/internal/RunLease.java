package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apiguardian.api.API;

/**
 * Says "this run is alive" on a broker that other runs share: one consumer, member of the
 * group {@code cr<runid>_lease}, polled by a daemon thread. Kafka's own group membership
 * is the heartbeat: when the JVM dies, the member's session expires within
 * {@code session.timeout.ms} and the group turns empty, so other runs can tell a dead
 * run from a live one without clocks or extra topics. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class RunLease implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean stopped;

    public RunLease(Map<String, Object> clientProperties, String runId) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, Names.leaseGroup(runId));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, Names.leaseGroup(runId));
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Names.leaseGroup(runId))); // no such topic: membership is all we want
        this.thread = new Thread(this::run, "cleanroom-kafka-lease");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stopped) {
                consumer.poll(Duration.ofSeconds(1));
            }
        } catch (WakeupException e) {
            // close() woke the poll; fall through to close the consumer
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
