package dev.cleanroom.spring.internal;

import dev.cleanroom.core.spi.OwnedThreads;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.MetricName;

/**
 * A producer that sends a record for topic {@code orders} to the current test's copy of
 * {@code orders}; every other call goes to the real producer unchanged. A proxy, so that it
 * follows the {@link Producer} interface of whatever Kafka client the application has.
 *
 * <p>The producer belongs to the application context, which outlives the JUnit run (Spring
 * closes cached contexts afterwards): its network thread is registered as owned
 * ({@link OwnedThreads}) until the producer is closed, so that the run-end leak check does not
 * report it. Producers a test makes itself are not wrapped and still reported.
 */
final class RedirectingProducer implements InvocationHandler {

    private static final String NETWORK_THREAD = "kafka-producer-network-thread | ";

    private final Producer<Object, Object> producer;
    private final TopicRouting routing;
    private final Runnable releaseThread;

    private RedirectingProducer(Producer<Object, Object> producer, TopicRouting routing) {
        this.producer = producer;
        this.routing = routing;
        this.releaseThread = clientId(producer).map(id -> OwnedThreads.register(NETWORK_THREAD + id)).orElse(() -> {});
    }

    @SuppressWarnings("unchecked")
    static Producer<Object, Object> wrap(Producer<Object, Object> producer, TopicRouting routing) {
        return (Producer<Object, Object>) Proxy.newProxyInstance(RedirectingProducer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, new RedirectingProducer(producer, routing));
    }

    /** The producer's client.id, from the tag every producer metric carries. */
    static Optional<String> clientId(Producer<?, ?> producer) {
        for (MetricName name : producer.metrics().keySet()) {
            String id = name.tags().get("client-id");
            if (id != null) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("send") && args != null && args.length >= 1
                && args[0] instanceof ProducerRecord<?, ?> record) {
            args = args.clone();
            args[0] = redirect(record);
        }
        if (method.getDeclaringClass() == Object.class && method.getName().equals("toString")) {
            return "Cleanroom(" + producer + ")";
        }
        try {
            return method.invoke(producer, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            if (method.getName().equals("close")) {
                releaseThread.run();
            }
        }
    }

    private ProducerRecord<?, ?> redirect(ProducerRecord<?, ?> record) {
        String physical = routing.physicalForCurrentTest(record.topic());
        if (physical.equals(record.topic())) {
            return record;
        }
        return new ProducerRecord<>(physical, record.partition(), record.timestamp(), record.key(), record.value(),
                record.headers());
    }
}
