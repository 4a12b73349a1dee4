package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.internal.ThreadLeaks;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.RunningTest;
import dev.cleanroom.kafka.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apiguardian.api.API;

/**
 * The run's one String producer behind {@code KafkaHandle.producer()} and {@code send}:
 * made once (its network thread in the shared servers' thread group, so no test is blamed
 * for it), closed by the server when the run ends. What a test sees:
 * <ul>
 * <li>{@link #send} accepts a record only for a topic of a test that is running now (its
 *     {@link Account}); from a test's own thread, only for that test's topics. Any other
 *     topic (another test's, one that ended, or a raw one the fixture did not make) is
 *     refused with an {@link IllegalArgumentException} naming the fix.
 * <li>{@link #flush()}, {@link #close()} and {@link #close(Duration)} only flush, within
 *     {@code cleanroom.kafka.await-timeout}: closing it in a test does not close it for others.
 * <li>At the test's end its {@link Account} closes: it refuses further records and waits
 *     for the test's records still on their way, so none lands during another test.
 * </ul>
 * Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class SharedProducer extends KafkaProducer<String, String> {

    private final Map<String, Account> owners = new ConcurrentHashMap<>(); // physical topic -> its test's account
    private final Map<TestIdentity, Account> tests = new ConcurrentHashMap<>();
    private final Duration awaitTimeout;
    private final Account everyone;
    private volatile boolean closed;

    private SharedProducer(Map<String, Object> props, Duration awaitTimeout) {
        super(props, new StringSerializer(), new StringSerializer());
        this.awaitTimeout = awaitTimeout;
        this.everyone = new Account(this, null);
    }

    /**
     * Makes the producer on a thread of the shared servers' group (its network thread inherits
     * the group), waiting for it with a timed latch: no managed block on a test thread.
     */
    static SharedProducer create(Map<String, Object> props, Duration awaitTimeout) {
        AtomicReference<Object> made = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread maker = new Thread(ThreadLeaks.SHARED_SERVER_GROUP, () -> {
            try {
                made.set(new SharedProducer(props, awaitTimeout));
            } catch (RuntimeException | Error e) {
                made.set(e);
            } finally {
                done.countDown();
            }
        }, "cleanroom-kafka-shared-producer-start");
        maker.setDaemon(true);
        maker.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (!done.await(KafkaServer.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("Making the shared Kafka producer took longer than "
                                + WaitTimeoutException.format(KafkaServer.REQUEST_TIMEOUT));
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // a half-made producer would be left to nobody: wait for it (bounded)
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Object result = made.get();
        if (result instanceof RuntimeException e) {
            throw new IllegalStateException("Could not make the shared Kafka producer: " + e, e);
        }
        if (result instanceof Error e) {
            throw e;
        }
        return (SharedProducer) result;
    }

    /** Opens the account of {@code test}'s topics: its records on the way, and whether the test still runs. */
    Account open(TestIdentity test) {
        Account account = new Account(this, test);
        tests.put(test, account);
        return account;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
        if (closed) {
            return super.send(record, callback); // the run ended: Kafka's own "producer has been closed" error
        }
        Account account = accountOf(record.topic());
        if (!account.sent()) { // its test ended meanwhile
            throw notRunning(record.topic(), account, Fixtures.currentTest().orElse(null));
        }
        everyone.sent();
        AtomicBoolean counted = new AtomicBoolean();
        Runnable completed = () -> {
            if (counted.compareAndSet(false, true)) {
                account.completed();
                everyone.completed();
            }
        };
        try {
            Future<RecordMetadata> future = super.send(record, (metadata, failure) -> {
                try {
                    if (callback != null) {
                        callback.onCompletion(metadata, failure);
                    }
                } finally { // counted as done once its callback has run, as KafkaProducer.flush() promises
                    completed.run();
                }
            });
            account.track(future);
            everyone.track(future);
            return future;
        } catch (RuntimeException | Error e) {
            completed.run();
            throw e;
        }
    }

    private Account accountOf(String topic) {
        Account account = topic == null ? null : owners.get(topic);
        RunningTest current = Fixtures.currentTest().orElse(null);
        if (account == null || account.isClosed()) {
            throw notRunning(topic, account, current);
        }
        if (current != null && !current.identity().equals(account.test)) {
            throw new IllegalArgumentException("The shared producer of KafkaHandle.producer() writes only to the topics of"
                    + " the test that sends: \"" + topic + "\" is a topic of " + account.test.readableName()
                    + ", not of " + current.identity().readableName() + ". Send to kafka.topic(\"<logical name>\").");
        }
        return account;
    }

    private static IllegalArgumentException notRunning(String topic, Account account, RunningTest current) {
        return new IllegalArgumentException("The shared producer of KafkaHandle.producer() writes only to the topics of"
                + " the test that sends, and \"" + topic + "\" is not a topic of a running test"
                + (current == null ? "" : " (sent from " + current.identity().readableName() + ")")
                + (account == null ? "" : "; its test " + account.test.readableName() + " has ended")
                + ". Send to kafka.topic(\"<logical name>\") of a declared or created topic; for any other topic make"
                + " a producer of your own with kafka.producer(serializers) or from kafka.clientProperties().");
    }

    /**
     * Waits, within {@code cleanroom.kafka.await-timeout}, until the records on their way are
     * acknowledged or failed: on a test's thread that test's records, on any other thread all.
     */
    @Override
    public void flush() {
        flush(awaitTimeout);
    }

    /** Only flushes: the producer is the run's, it closes when the run ends. */
    @Override
    public void close() {
        flush();
    }

    /** Only flushes (within {@code timeout}): the producer is the run's, it closes when the run ends. */
    @Override
    public void close(Duration timeout) {
        flush(timeout);
    }

    private void flush(Duration timeout) {
        Account account = Fixtures.currentTest().map(t -> tests.get(t.identity())).orElse(everyone);
        account.awaitIdle(account == everyone ? "the records sent through the shared producer of KafkaHandle.producer()"
                : account.what(), timeout);
    }

    /** Really closes it: when the run ends. */
    void closeForRun(Duration timeout) {
        closed = true;
        super.close(timeout);
    }

    /**
     * One test's records on the shared producer: counted as they go out and as Kafka answers;
     * {@link #close} (at the test's end, before its topics are deleted) refuses further
     * records and waits for those on their way. Thread-safe.
     */
    static final class Account {

        private final SharedProducer producer;
        private final TestIdentity test;
        private final java.util.Set<String> topics = ConcurrentHashMap.newKeySet();
        private final java.util.Set<Future<RecordMetadata>> futures = ConcurrentHashMap.newKeySet();
        private int pending; // guarded by this
        private CountDownLatch idle; // counted down when pending reaches 0; guarded by this
        private volatile boolean closed; // written under this

        private Account(SharedProducer producer, TestIdentity test) {
            this.producer = producer;
            this.test = test;
        }

        boolean isClosed() {
            return closed;
        }

        /** Records to {@code physical} are this test's from now on, until the account closes. */
        void own(String physical) {
            topics.add(physical);
            producer.owners.put(physical, this);
        }

        String what() {
            return "the records " + test.readableName() + " sent through the shared producer of KafkaHandle.producer()";
        }

        /** Counts a record going out; false (nothing counted) once the account is closed. */
        synchronized boolean sent() {
            if (closed) {
                return false;
            }
            pending++;
            return true;
        }

        void completed() {
            CountDownLatch wake = null;
            synchronized (this) {
                if (--pending == 0 && idle != null) {
                    wake = idle;
                    idle = null;
                }
            }
            if (wake != null) {
                wake.countDown();
            }
        }

        /** Kafka completes a record's future just after its callback: flush waits for both. */
        void track(Future<RecordMetadata> future) {
            if (!future.isDone()) {
                futures.add(future);
                if (futures.size() > 256) {
                    futures.removeIf(Future::isDone);
                }
            }
        }

        synchronized int pending() {
            return pending;
        }

        /** Refuses further records for the test's topics and waits for those on their way. */
        void close() {
            synchronized (this) {
                closed = true;
            }
            try {
                awaitIdle(what(), producer.awaitTimeout);
            } finally {
                topics.forEach(t -> producer.owners.remove(t, this));
                producer.tests.remove(test, this);
            }
        }

        /** Waits with a timed latch (never a managed block) until no record is on its way. */
        void awaitIdle(String what, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            awaitCallbacks(what, timeout);
            for (Future<RecordMetadata> future : List.copyOf(futures)) {
                try { // a timed wait on the record's own latch, done or a moment from it
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // failed (the sender sees it on its future), or about to be done: nothing of ours to wait for
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for " + what + " to be acknowledged", e);
                }
                futures.remove(future);
            }
        }

        private void awaitCallbacks(String what, Duration timeout) {
            CountDownLatch wait;
            synchronized (this) {
                if (pending == 0) {
                    return;
                }
                if (idle == null) {
                    idle = new CountDownLatch(1);
                }
                wait = idle;
            }
            boolean done;
            try {
                done = wait.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what + " to be acknowledged", e);
            }
            if (!done) {
                int left = pending();
                if (left > 0) {
                    String waitedFor = "Waited for " + what + " to be acknowledged";
                    throw new WaitTimeoutException(waitedFor, timeout, left + " were still on their way.",
                            "Is the broker slow? " + KafkaSettings.AWAIT_TIMEOUT.key() + " sets the time.");
                }
            }
        }
    }
}
