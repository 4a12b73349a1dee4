/**
 * Kafka isolation for JUnit tests: {@link dev.cleanroom.kafka.IsolatedKafka @IsolatedKafka}
 * gives every test its own copies of the {@link dev.cleanroom.kafka.Topic topics} it declares
 * and its own consumer groups on one broker the whole suite shares (a Testcontainers
 * container, an embedded broker in a child JVM, or an external cluster; see
 * {@link dev.cleanroom.kafka.KafkaSettings}). A test reaches them by logical name through its
 * {@link dev.cleanroom.kafka.KafkaHandle}, which also makes clients that are closed with the
 * test, and reads what arrived on a topic with {@link dev.cleanroom.kafka.TopicRecords}, every
 * wait bounded.
 */
package dev.cleanroom.kafka;
