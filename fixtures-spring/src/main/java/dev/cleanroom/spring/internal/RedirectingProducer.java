package dev.cleanroom.spring.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A producer that sends a record for topic {@code orders} to the current test's copy of
 * {@code orders}; every other call goes to the real producer unchanged. A proxy, so that it
 * follows the {@link Producer} interface of whatever Kafka client the application has.
 */
final class RedirectingProducer implements InvocationHandler {

    private final Producer<Object, Object> producer;
    private final TopicRouting routing;

    private RedirectingProducer(Producer<Object, Object> producer, TopicRouting routing) {
        this.producer = producer;
        this.routing = routing;
    }

    @SuppressWarnings("unchecked")
    static Producer<Object, Object> wrap(Producer<Object, Object> producer, TopicRouting routing) {
        return (Producer<Object, Object>) Proxy.newProxyInstance(RedirectingProducer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, new RedirectingProducer(producer, routing));
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
