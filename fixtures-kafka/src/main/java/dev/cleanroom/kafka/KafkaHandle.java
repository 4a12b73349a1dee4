package dev.cleanroom.kafka;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apiguardian.api.API;

/**
 * One test's view of the shared Kafka broker: its topics and consumer groups by logical
 * name, and clients made for it. Declare it as a test (or {@code @BeforeEach}) parameter
 * of an {@link IsolatedKafka @IsolatedKafka} test. It is also published with
 * {@code Fixtures.provide(context, KafkaHandle.class, handle)} so that isolated-service
 * factories can wire services to the test's topics.
 *
 * <p>Every client it makes is closed at teardown, before the test's topics and groups
 * are deleted. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface KafkaHandle {

    /** The broker's bootstrap servers, e.g. {@code localhost:32789}. */
    String bootstrapServers();

    /**
     * The physical name of the test's topic {@code logical}, declared with {@link Topic}
     * or created with {@link #createTopic}.
     *
     * @throws IllegalArgumentException if the test has no such topic; the message lists those it has
     */
    String topic(String logical);

    /** Creates a topic for this test only (deleted at teardown like declared ones); returns its physical name. */
    default String createTopic(String logical, int partitions) {
        return createTopic(logical, partitions, Map.of());
    }

    /** Creates a topic with topic configs for this test only; returns its physical name. */
    String createTopic(String logical, int partitions, Map<String, String> configs);

    /** A consumer group id unique to this test for {@code logical}; the same id on every call. Deleted at teardown. */
    String groupId(String logical);

    /**
     * Properties to build your own clients (or wire a service) with: bootstrap servers plus
     * every {@code cleanroom.kafka.client.*} setting. A fresh, mutable copy on each call.
     */
    Map<String, Object> clientProperties();

    /** A String producer ({@code acks=all}), closed at teardown. */
    KafkaProducer<String, String> producer();

    /** A producer with the given serializers, closed at teardown. */
    <K, V> KafkaProducer<K, V> producer(Serializer<K> keySerializer, Serializer<V> valueSerializer);

    /**
     * A String consumer in the group {@link #groupId(String) groupId(logicalGroup)}, reading
     * from the earliest offset when the group has none; closed at teardown.
     */
    KafkaConsumer<String, String> consumer(String logicalGroup);

    /** A consumer with the given deserializers in the test's group {@code logicalGroup}; closed at teardown. */
    <K, V> KafkaConsumer<K, V> consumer(String logicalGroup, Deserializer<K> keyDeserializer,
                                        Deserializer<V> valueDeserializer);

    /** An admin client, closed at teardown. */
    Admin admin();

    /** Sends one String record to the test's topic {@code logicalTopic} and waits for the acknowledgement. */
    RecordMetadata send(String logicalTopic, String key, String value);

    /** Reads the String records of the test's topic {@code logicalTopic} from the beginning, without a group. */
    TopicRecords<String, String> records(String logicalTopic);

    /** Reads the records of the test's topic {@code logicalTopic} with the given deserializers. */
    <K, V> TopicRecords<K, V> records(String logicalTopic, Deserializer<K> keyDeserializer,
                                      Deserializer<V> valueDeserializer);
}
