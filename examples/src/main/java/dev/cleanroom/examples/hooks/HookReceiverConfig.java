package dev.cleanroom.examples.hooks;

import dev.cleanroom.examples.NamedThreads;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import javax.sql.DataSource;

/**
 * Everything a {@link HookReceiver} is built from.
 *
 * @param port           TCP port to listen on; 0 picks a free one ({@link HookReceiver#port()})
 * @param dataSource     where events are stored (table {@code hook_events}, see {@code db/migration})
 * @param kafka          Kafka client properties (at least {@code bootstrap.servers}); serializers are set by the receiver
 * @param topic          topic every accepted event is published to
 * @param threadFactory  makes the HTTP handler threads (tests pass their task tracker's)
 * @param handlerThreads number of HTTP handler threads
 * @param publishTimeout how long a request waits for Kafka to acknowledge the event
 * @param maxBodyBytes   largest request body accepted (larger: 413)
 */
public record HookReceiverConfig(int port, DataSource dataSource, Properties kafka, String topic,
                                 ThreadFactory threadFactory, int handlerThreads, Duration publishTimeout,
                                 int maxBodyBytes) {

    public HookReceiverConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, got " + port);
        }
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(kafka, "kafka properties must not be null");
        if (kafka.getProperty("bootstrap.servers", "").isBlank()) {
            throw new IllegalArgumentException("kafka properties need 'bootstrap.servers', got " + kafka.stringPropertyNames());
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must be a Kafka topic name, got '" + topic + "'");
        }
        Objects.requireNonNull(threadFactory, "threadFactory must not be null");
        if (handlerThreads < 1) {
            throw new IllegalArgumentException("handlerThreads must be at least 1, got " + handlerThreads);
        }
        if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("publishTimeout must be positive, got " + publishTimeout);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1, got " + maxBodyBytes);
        }
    }

    /** A configuration on a free port, with 4 handler threads, a 10 s publish timeout and a 64 KiB body limit. */
    public static HookReceiverConfig of(DataSource dataSource, Properties kafka, String topic) {
        return new HookReceiverConfig(0, dataSource, kafka, topic, NamedThreads.factory("hook-receiver-http"),
                4, Duration.ofSeconds(10), 64 * 1024);
    }

    public HookReceiverConfig withPort(int port) {
        return new HookReceiverConfig(port, dataSource, kafka, topic, threadFactory, handlerThreads, publishTimeout, maxBodyBytes);
    }

    public HookReceiverConfig withThreadFactory(ThreadFactory threadFactory) {
        return new HookReceiverConfig(port, dataSource, kafka, topic, threadFactory, handlerThreads, publishTimeout, maxBodyBytes);
    }

    public HookReceiverConfig withHandlerThreads(int handlerThreads) {
        return new HookReceiverConfig(port, dataSource, kafka, topic, threadFactory, handlerThreads, publishTimeout, maxBodyBytes);
    }

    public HookReceiverConfig withPublishTimeout(Duration publishTimeout) {
        return new HookReceiverConfig(port, dataSource, kafka, topic, threadFactory, handlerThreads, publishTimeout, maxBodyBytes);
    }

    public HookReceiverConfig withMaxBodyBytes(int maxBodyBytes) {
        return new HookReceiverConfig(port, dataSource, kafka, topic, threadFactory, handlerThreads, publishTimeout, maxBodyBytes);
    }
}
