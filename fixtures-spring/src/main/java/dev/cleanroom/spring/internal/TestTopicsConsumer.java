package dev.cleanroom.spring.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;

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
            Set<String> logical = routing.listenerTopics(consumer.groupMetadata().groupId());
            if (!logical.isEmpty()) { // a listener Cleanroom rewrote: it reads the running tests' topics
                logicalTopics = logical;
                rebalanceListener = args.length > 1 ? (ConsumerRebalanceListener) args[1] : null;
                subscribed = Set.of();
                return null;
            }
        } else if (name.equals("unsubscribe") || name.equals("subscribe") || name.equals("assign")) {
            logicalTopics = null;
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
        if (!held.equals(subscribed)) {
            if (held.isEmpty()) {
                consumer.unsubscribe();
            } else if (rebalanceListener == null) {
                consumer.subscribe(held);
            } else {
                consumer.subscribe(held, rebalanceListener);
            }
            subscribed = held;
        }
        Duration bounded = timeout.compareTo(MAX_POLL) < 0 ? timeout : MAX_POLL;
        if (subscribed.isEmpty()) { // no test holds a topic of this listener: nothing to read
            Thread.sleep(bounded.toMillis());
            return ConsumerRecords.empty();
        }
        return consumer.poll(bounded);
    }
}
