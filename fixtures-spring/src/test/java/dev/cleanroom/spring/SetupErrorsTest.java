package dev.cleanroom.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.spring.errors.ConcreteDataSourceApp;
import dev.cleanroom.spring.errors.LiteralTopicApp;
import dev.cleanroom.spring.errors.OwnPatternApp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.springframework.boot.test.context.SpringBootTest;

/** Set-ups Cleanroom cannot isolate fail before the first test, saying what to change. */
class SetupErrorsTest {

    @Test
    void listenerTopicWrittenLiterallyIsRefused() {
        assertThat(failureMessages(LiteralTopicFixture.class)).anySatisfy(message -> assertThat(message)
                .contains("LiteralTopicApp$LiteralListener.on() listens to the topic 'orders', written literally")
                .contains("topics = \"${app.topics.orders}\""));
    }

    @Test
    void listenerWithItsOwnTopicPatternIsRefused() {
        assertThat(failureMessages(OwnPatternFixture.class)).anySatisfy(message -> assertThat(message)
                .contains("@KafkaListener on " + OwnPatternApp.PatternListener.class.getName() + ".on()")
                .contains("cannot subscribe by its own topicPattern ('orders.*')")
                .contains("Name the topics by property: topics = \"${app.topics.orders}\"."));
    }

    @Test
    void dataSourceDeclaredAsConcreteTypeIsRefused() {
        assertThat(failureMessages(ConcreteDataSourceFixture.class)).anySatisfy(message -> assertThat(message)
                .contains("Cleanroom cannot wrap the DataSource bean 'appDataSource'")
                .contains("declared as com.zaxxer.hikari.HikariDataSource")
                .contains("return type as javax.sql.DataSource"));
    }

    @Test
    void transactionalTestWithSpringBeforeCleanroomIsRefused() {
        assertThat(failureMessages(SpringFirstTransactionalFixture.class)).anySatisfy(message -> assertThat(message)
                .contains("uses @Transactional, which Spring applies before Cleanroom has given the test its schema")
                .contains("Declare @IsolatedPostgres (and @IsolatedKafka) first"));
    }

    /** Every message in the cause chains of the run's failed tests. */
    private static List<String> failureMessages(Class<?> fixture) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                .execute().testEvents().failed().list();
        assertThat(failed).isNotEmpty();
        List<String> messages = new ArrayList<>();
        for (Event event : failed) {
            Throwable t = event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow();
            for (; t != null; t = t.getCause()) {
                messages.add(String.valueOf(t.getMessage()));
            }
        }
        return messages;
    }

    @IsolatedKafka(topics = @Topic(name = "orders"))
    @SpringBootTest(classes = LiteralTopicApp.class)
    static class LiteralTopicFixture {
        @Test
        void test() {}
    }

    @IsolatedKafka(topics = @Topic(name = "orders"))
    @SpringBootTest(classes = OwnPatternApp.class)
    static class OwnPatternFixture {
        @Test
        void test() {}
    }

    @SpringBootTest(classes = dev.cleanroom.spring.app.OrdersApplication.class)
    @IsolatedPostgres
    @IsolatedKafka(topics = {@Topic(name = "orders"), @Topic(name = "order-events")})
    static class SpringFirstTransactionalFixture {
        @Test
        @org.springframework.transaction.annotation.Transactional
        void test() {}
    }

    @IsolatedPostgres
    @SpringBootTest(classes = ConcreteDataSourceApp.class)
    static class ConcreteDataSourceFixture {
        @Test
        void test() {}
    }
}
