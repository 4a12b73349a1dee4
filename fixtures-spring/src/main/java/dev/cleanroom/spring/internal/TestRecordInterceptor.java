package dev.cleanroom.spring.internal;

import dev.cleanroom.core.spi.RunningTest;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Runs a listener's work for a record as the test that owns the record's topic: its
 * database work goes to that test's schema, its sends to that test's topics. A record of
 * a test that has already ended is skipped (its schema and topics are being removed).
 */
final class TestRecordInterceptor implements RecordInterceptor<Object, Object> {

    private final TopicRouting routing;

    TestRecordInterceptor(TopicRouting routing) {
        this.routing = routing;
    }

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        Optional<RunningTest> owner = routing.ownerOf(record.topic(),
                routing.listenerTopics(consumer.groupMetadata().groupId()));
        if (owner.isEmpty()) {
            return null; // the test ended, or the topic is no test's copy of this listener's topics
        }
        TestBinding.bind(owner.get());
        return record;
    }

    @Override
    public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        TestBinding.unbind();
    }
}
