package dev.cleanroom.kafka;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apiguardian.api.API;

/**
 * The records of one test topic, read from the beginning of every partition by a
 * consumer without a group (so no offsets are committed). Records received by one
 * {@code await} stay received for the next. A timeout is a
 * {@link dev.cleanroom.core.WaitTimeoutException} (an {@link AssertionError}) that says what was
 * awaited, for how long, and lists what was received. Closed at teardown.
 *
 * <p>The default timeout is {@code cleanroom.kafka.await-timeout} (10 s).
 *
 * @param <K> key type
 * @param <V> value type
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface TopicRecords<K, V> {

    /** Waits, up to the default timeout, until at least {@code count} records arrived; returns all received so far. */
    List<ConsumerRecord<K, V>> await(int count);

    /** Waits until at least {@code count} records arrived; returns all received so far. */
    List<ConsumerRecord<K, V>> await(int count, Duration timeout);

    /**
     * Waits, up to the default timeout, for a record that matches; returns the first that
     * does. A timeout's message cannot name a lambda: prefer
     * {@link #await(Predicate, String)}.
     */
    ConsumerRecord<K, V> await(Predicate<? super ConsumerRecord<K, V>> match);

    /** Waits for a record that matches; returns the first that does. See {@link #await(Predicate, String, Duration)}. */
    ConsumerRecord<K, V> await(Predicate<? super ConsumerRecord<K, V>> match, Duration timeout);

    /**
     * Waits, up to the default timeout, for a record that matches; {@code description} names
     * it in the timeout's message ("Expected a record matching an order of customer 7 ...").
     */
    ConsumerRecord<K, V> await(Predicate<? super ConsumerRecord<K, V>> match, String description);

    /** Waits for a record that matches, described by {@code description}; returns the first that does. */
    ConsumerRecord<K, V> await(Predicate<? super ConsumerRecord<K, V>> match, String description, Duration timeout);

    /** Every record received so far, in arrival order (polls once, briefly, first). */
    List<ConsumerRecord<K, V>> received();
}
