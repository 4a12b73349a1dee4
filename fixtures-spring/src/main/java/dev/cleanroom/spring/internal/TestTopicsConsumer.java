package dev.cleanroom.spring.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A listener's consumer that is subscribed to exactly the running tests' copies of the
 * listener's topics, by name. Cleanroom rewrites a {@code @KafkaListener}'s topics into a
 * pattern (see {@link ListenerTopics}); this consumer takes that pattern subscription as the
 * signal and, before every poll, subscribes the real consumer to the topics that running
 * tests hold now. A pattern over the run's names would also match topics no test holds
 * (created ahead and not yet handed out, a nested run's, one being deleted): a topic that
 * vanishes while assigned stalls the consumer in the rebalance for its
 * {@code default.api.timeout.ms}. Polls are kept short, so that a new test's topics are
 * subscribed within a fraction of a second. Every other call goes to the real consumer.
 * A proxy, so that it follows the {@link Consumer} interface of the application's Kafka client.
 *
 * <p>A consumer that is the only one of its group ({@link ListenerAssignments.Member#alone()}:
 * a listener of concurrency 1) assigns itself the partitions of those topics instead of
 * subscribing: no group rebalance on every test's start and end (each of which revoked and
 * re-joined, seconds per test in a parallel suite), and the rebalance listener is told of
 * what was revoked and assigned as Kafka would. It reports what it has assigned, so that a
 * test can wait for its listeners before its body ({@link ListenerAssignments#awaitAssigned}).
 */
final class TestTopicsConsumer implements InvocationHandler {

    /** The longest poll: a test's new topic waits at most this long before it is subscribed. */
    static final Duration MAX_POLL = Duration.ofMillis(200);

    private final Consumer<Object, Object> consumer;
    private final TopicRouting routing;
    // only the consumer's own thread touches these (Kafka consumers are single-threaded)
    private Set<String> logicalTopics;
    private ConsumerRebalanceListener rebalanceListener;
    private Set<String> subscribed = Set.of();
    private ListenerAssignments.Member member;
    private boolean assignedDirectly; // the real consumer's partitions were assigned by this proxy, not by its group

    private TestTopicsConsumer(Consumer<Object, Object> consumer, TopicRouting routing) {
        this.consumer = consumer;
        this.routing = routing;
    }

    @SuppressWarnings("unchecked")
    static Consumer<Object, Object> wrap(Consumer<Object, Object> consumer, TopicRouting routing) {
        return (Consumer<Object, Object>) Proxy.newProxyInstance(TestTopicsConsumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, new TestTopicsConsumer(consumer, routing));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("subscribe") && args != null && args.length >= 1 && args[0] instanceof Pattern) {
            String group = consumer.groupMetadata().groupId();
            Set<String> logical = routing.listenerTopics(group);
            if (!logical.isEmpty()) { // a listener Cleanroom rewrote: it reads the running tests' topics
                logicalTopics = logical;
                rebalanceListener = args.length > 1 ? (ConsumerRebalanceListener) args[1] : null;
                subscribed = Set.of();
                leave();
                member = routing.assignments().join(group);
                return null;
            }
        } else if (name.equals("unsubscribe") || name.equals("subscribe") || name.equals("assign")) {
            logicalTopics = null;
            assignedDirectly = false;
            leave();
        } else if (name.equals("close")) {
            leave();
        } else if (name.equals("poll") && logicalTopics != null && args != null && args.length == 1
                && args[0] instanceof Duration timeout) {
            return poll(timeout);
        } else if (method.getDeclaringClass() == Object.class && name.equals("toString")) {
            return "Cleanroom(" + consumer + ")";
        }
        try {
            return method.invoke(consumer, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private ConsumerRecords<Object, Object> poll(Duration timeout) throws InterruptedException {
        Set<String> held = routing.runningTestsTopics(logicalTopics);
        boolean direct = member.alone();
        if (direct != assignedDirectly) { // switching between the group's assignment and our own
            consumer.unsubscribe();
            assignedDirectly = direct;
            subscribed = Set.of();
            member.assigned(Set.of());
        }
        if (!held.equals(subscribed)) {
            if (direct) {
                subscribed = assign(held);
            } else {
                if (held.isEmpty()) {
                    consumer.unsubscribe();
                } else if (rebalanceListener == null) {
                    consumer.subscribe(held);
                } else {
                    consumer.subscribe(held, rebalanceListener);
                }
                subscribed = held;
            }
        }
        Duration bounded = timeout.compareTo(MAX_POLL) < 0 ? timeout : MAX_POLL;
        if (subscribed.isEmpty()) { // no test holds a topic of this listener: nothing to read
            Thread.sleep(bounded.toMillis());
            return ConsumerRecords.empty();
        }
        return consumer.poll(bounded);
    }

    /**
     * Assigns the partitions of {@code topics} (the ones whose partitions the broker knows yet;
     * the rest is tried again at the next poll), telling the rebalance listener what was revoked
     * and assigned; returns the topics now assigned.
     */
    private Set<String> assign(Set<String> topics) {
        Set<TopicPartition> wanted = new HashSet<>();
        Set<String> known = new TreeSet<>();
        for (String topic : topics) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic);
            if (partitions != null && !partitions.isEmpty()) {
                known.add(topic);
                partitions.forEach(p -> wanted.add(new TopicPartition(topic, p.partition())));
            }
        }
        Set<TopicPartition> current = consumer.assignment();
        Set<TopicPartition> revoked = new HashSet<>(current);
        revoked.removeAll(wanted);
        Set<TopicPartition> added = new HashSet<>(wanted);
        added.removeAll(current);
        if (rebalanceListener != null && !revoked.isEmpty()) {
            rebalanceListener.onPartitionsRevoked(revoked);
        }
        consumer.assign(wanted);
        if (rebalanceListener != null && !added.isEmpty()) {
            rebalanceListener.onPartitionsAssigned(added);
        }
        member.assigned(known);
        return known;
    }

    private void leave() {
        if (member != null) {
            member.leave();
            member = null;
        }
    }
}
