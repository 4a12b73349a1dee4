package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.internal.ServerWatch;
import dev.cleanroom.kafka.TopicRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apiguardian.api.API;

/** {@link TopicRecords} over a group-less consumer assigned to every partition. Internal: do not use. */
@API(status = INTERNAL, since = "0.1")
final class DefaultTopicRecords<K, V> implements TopicRecords<K, V> {

    private static final int SHOWN = 20;

    private final KafkaConsumer<K, V> consumer;
    private final String logical;
    private final String physical;
    private final Duration defaultTimeout;
    private final KafkaServer server;
    private final String test;
    private final List<ConsumerRecord<K, V>> received = new ArrayList<>(); // guarded by this

    DefaultTopicRecords(KafkaConsumer<K, V> consumer, String logical, String physical, KafkaServer server, String test) {
        this.consumer = consumer;
        this.logical = logical;
        this.physical = physical;
        this.defaultTimeout = server.awaitTimeout();
        this.server = server;
        this.test = test;
    }

    @Override
    public List<ConsumerRecord<K, V>> await(int count) {
        return await(count, defaultTimeout);
    }

    @Override
    public synchronized List<ConsumerRecord<K, V>> await(int count, Duration timeout) {
        String what = "at least " + count + " record" + (count == 1 ? "" : "s") + " on topic \"" + logical + "\" ("
                + physical + ")";
        return watched(what, () -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received.size() < count) {
                if (!pollUntil(deadline)) {
                    throw new WaitTimeoutException("Expected " + what, timeout, "received " + describeReceived(), null);
                }
            }
            return List.copyOf(received);
        });
    }

    @Override
    public ConsumerRecord<K, V> await(Predicate<? super ConsumerRecord<K, V>> match) {
        return await(match, describe(match), defaultTimeout);
    }

    @Override
    public ConsumerRecord<K, V> await(Predicate<? super ConsumerRecord<K, V>> match, Duration timeout) {
        return await(match, describe(match), timeout);
    }

    @Override
    public ConsumerRecord<K, V> await(Predicate<? super ConsumerRecord<K, V>> match, String description) {
        return await(match, description, defaultTimeout);
    }

    @Override
    public synchronized ConsumerRecord<K, V> await(Predicate<? super ConsumerRecord<K, V>> match, String description,
                                                   Duration timeout) {
        String what = "a record matching " + description + " on topic \"" + logical + "\" (" + physical + ")";
        return watched(what, () -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            int checked = 0;
            while (true) {
                for (; checked < received.size(); checked++) {
                    if (match.test(received.get(checked))) {
                        return received.get(checked);
                    }
                }
                if (!pollUntil(deadline)) {
                    throw new WaitTimeoutException("Expected " + what, timeout, "none of the received did: "
                            + describeReceived(), null);
                }
            }
        });
    }

    /**
     * Runs an await while the broker is watched: a broker found gone (dead, or missing two
     * probes) ends the wait with the failure that names it, not the await's own timeout.
     */
    private <T> T watched(String what, java.util.function.Supplier<T> await) {
        server.checkAlive();
        String doing = "awaiting " + what + " for " + test;
        try {
            try (ServerWatch.Watch watch = server.watch(doing)) {
                return await.get();
            }
        } catch (RuntimeException | WaitTimeoutException e) { // Kafka's InterruptException, when the watch interrupts
            IllegalStateException gone = server.ifGone(e, doing);
            if (gone != null) {
                throw gone;
            }
            throw e;
        }
    }

    /** A predicate's own toString, unless it is a lambda's (which says nothing). */
    private static String describe(Predicate<?> match) {
        String name = match.getClass().getName();
        return match.getClass().isSynthetic() || name.contains("$$Lambda")
                ? "the given predicate (pass await a description to name it here)" : String.valueOf(match);
    }

    @Override
    public synchronized List<ConsumerRecord<K, V>> received() {
        for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(50))) {
            received.add(r);
        }
        return List.copyOf(received);
    }

    /** Polls once (at most until the deadline); false when the deadline has passed. */
    private boolean pollUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofNanos(Math.min(left, 100_000_000L)))) {
            received.add(r);
        }
        return true;
    }

    private String describeReceived() {
        if (received.isEmpty()) {
            return "none.";
        }
        StringBuilder text = new StringBuilder().append(received.size()).append(':');
        for (int i = 0; i < Math.min(SHOWN, received.size()); i++) {
            ConsumerRecord<K, V> r = received.get(i);
            text.append("\n  partition ").append(r.partition()).append(" offset ").append(r.offset())
                    .append(" key=").append(r.key()).append(" value=").append(r.value());
        }
        if (received.size() > SHOWN) {
            text.append("\n  ... and ").append(received.size() - SHOWN).append(" more");
        }
        return text.toString();
    }

}
