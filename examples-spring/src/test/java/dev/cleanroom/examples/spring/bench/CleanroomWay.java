package dev.cleanroom.examples.spring.bench;

import dev.cleanroom.examples.spring.HookWorkflowApplication;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;

/** Cleanroom: one cached context for every class, a schema and topics per test, classes and methods in parallel. */
final class CleanroomWay {

    private CleanroomWay() {}

    @IsolatedPostgres
    @IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
    @SpringBootTest(classes = HookWorkflowApplication.class)
    abstract static class Base extends BenchSuite {

        private KafkaHandle kafka;

        @BeforeEach
        void kafka(KafkaHandle kafka) {
            this.kafka = kafka;
        }

        @Override
        String awaitOutcome(String workflowId) {
            return kafka.records("workflow-completions").await(r -> r.key().equals(workflowId), OUTCOME_TIMEOUT).value();
        }
    }

    static class C1 extends Base {}
    static class C2 extends Base {}
    static class C3 extends Base {}
    static class C4 extends Base {}
    static class C5 extends Base {}
    static class C6 extends Base {}
}
