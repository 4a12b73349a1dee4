package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@code @IsolatedKafka} on an outer class gives the tests of its {@code @Nested} classes their own topics. */
@IsolatedKafka
class NestedClassesTest {

    static final List<String> TOPICS = new CopyOnWriteArrayList<>();

    @IsolatedKafka(topics = @Topic(name = "orders"))
    static class OuterDeclares {
        @Test
        void outer(KafkaHandle kafka) {
            TOPICS.add("outer " + kafka.topic("orders"));
        }

        @Nested
        class Inner {
            @Test
            void inner(KafkaHandle kafka) {
                TOPICS.add("inner " + kafka.topic("orders"));
            }

            @Nested
            class Deeper {
                @Test
                void deeper(KafkaHandle kafka) throws Exception {
                    kafka.send("orders", "k", "v");
                    assertThat(kafka.records("orders").await(1)).hasSize(1); // its own topic: only its record
                    TOPICS.add("deeper " + kafka.topic("orders"));
                }
            }
        }

        @Nested
        @IsolatedKafka(topics = @Topic(name = "payments"))
        class OwnDeclaration {
            @Test
            void innerDeclarationWins(KafkaHandle kafka) {
                TOPICS.add("own " + kafka.topic("payments"));
            }
        }
    }

    @Test
    void theOuterClassesDeclarationAppliesInsideAndEveryTestHasItsOwnTopic() {
        TOPICS.clear();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(OuterDeclares.class))
                .configurationParameter("junit.jupiter.extensions.store.close.autocloseable.enabled", "false").execute();

        results.testEvents().assertStatistics(s -> s.succeeded(4).failed(0));
        assertThat(TOPICS).hasSize(4);
        assertThat(TOPICS.stream().map(t -> t.substring(t.indexOf(' ') + 1)).distinct()).hasSize(4);
        assertThat(TOPICS).anyMatch(t -> t.startsWith("outer ")).anyMatch(t -> t.startsWith("inner "))
                .anyMatch(t -> t.startsWith("deeper ")).anyMatch(t -> t.startsWith("own "));
    }
}
