/**
 * The implementation of fixtures-spring, which has no API of its own: on the test class path
 * it makes {@code @IsolatedPostgres} and {@code @IsolatedKafka} work on Spring Boot test
 * classes, found by Spring through {@code META-INF/spring.factories}. One cached application
 * context serves every test: its {@code DataSource} hands out a connection of the current
 * test's schema, its producers send to the current test's copies of their topics, and its
 * {@code @KafkaListener}s consume the running tests' topics and handle each record as the test
 * that owns it. Implementation, not API; may change without notice.
 */
@API(status = INTERNAL, since = "0.1")
package dev.cleanroom.spring.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
