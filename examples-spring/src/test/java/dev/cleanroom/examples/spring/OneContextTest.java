package dev.cleanroom.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Counts context creations: every class of the suite has the same configuration (and the same
 * Cleanroom needs; topics may differ), so Spring's cache makes one application context for all.
 */
@IsolatedPostgres
@IsolatedKafka(topics = @Topic(name = "hooks"))
@SpringBootTest(classes = HookWorkflowApplication.class)
class OneContextTest {

    @Test
    void theSuiteSharesOneApplicationContext() {
        assertThat(ContextCreations.COUNT).hasValue(1);
    }
}
