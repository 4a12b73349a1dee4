package dev.cleanroom.kafka;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.WaitTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
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

    /**
     * The run's shared String producer ({@code acks=all}, {@code linger.ms=0}, bounded by
     * {@code cleanroom.kafka.await-timeout} like {@link #send}): the same instance for every
     * test, so no test pays for building one. It writes only to this test's topics (those of
     * {@link #topic}/{@link #createTopic}); a record for any other topic (another test's, or a
     * raw name the fixture did not make) is refused with an {@link IllegalArgumentException}:
     * make a producer of your own for those ({@link #producer(Serializer, Serializer)} or
     * {@link #clientProperties()}). Its {@code close()} and {@code flush()} only wait, bounded,
     * for the records on their way (the run closes it); at the end of the test its records
     * still on their way are waited for, so none lands during another test.
     */
    KafkaProducer<String, String> producer();

    /**
     * A producer of this test's own with the given serializers (use it for other configs,
     * raw topics or transactions: build it from {@link #clientProperties()}), closed at teardown.
     */
    <K, V> KafkaProducer<K, V> producer(Serializer<K> keySerializer, Serializer<V> valueSerializer);

    /**
     * A String consumer in the group {@link #groupId(String) groupId(logicalGroup)}, reading
     * from the earliest offset when the group has none; closed at teardown.
     */
    KafkaConsumer<String, String> consumer(String logicalGroup);

    /** A consumer with the given deserializers in the test's group {@code logicalGroup}; closed at teardown. */
    <K, V> KafkaConsumer<K, V> consumer(String logicalGroup, Deserializer<K> keyDeserializer,
                                        Deserializer<V> valueDeserializer);

    /**
     * Waits until {@code consumer}, after its {@code subscribe}, has joined its group and been
     * assigned partitions, so that what the test sends from now on is read by it; with the
     * default timeout ({@code cleanroom.kafka.await-timeout}, plus the broker's
     * {@code group.initial.rebalance.delay.ms} if it is not 0). See {@link #awaitAssignment(Consumer, Duration)}.
     *
     * @return the consumer's assignment
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    Set<TopicPartition> awaitAssignment(Consumer<?, ?> consumer);

    /**
     * Waits, at most {@code timeout}, until {@code consumer}, after its {@code subscribe}, has
     * joined its group and been assigned partitions. It polls the consumer meanwhile; records
     * a poll returns are not lost: the consumer is set back to the first of them, so the
     * test's next {@code poll} returns them. A consumer with {@code assign}ed partitions
     * returns at once. A group with more members than the topics have partitions leaves some
     * members without any: such a wait times out.
     *
     * @return the consumer's assignment
     * @throws IllegalArgumentException if the consumer neither subscribed nor was assigned partitions
     * @throws WaitTimeoutException if it had no partitions within {@code timeout}; the message
     *         names the consumer, its group and its subscription
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    Set<TopicPartition> awaitAssignment(Consumer<?, ?> consumer, Duration timeout);

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
