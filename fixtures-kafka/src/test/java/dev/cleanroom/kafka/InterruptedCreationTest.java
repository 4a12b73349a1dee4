package dev.cleanroom.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.testkit.EngineKit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;

/** A @Timeout that interrupts createTopic says so (not "null"), and what was made is deleted. */
@IsolatedKafka
class InterruptedCreationTest {

    static final List<String> MADE = new java.util.concurrent.CopyOnWriteArrayList<>();
    static volatile String bootstrap;

    @NestedStatistics.Fixture
    static class CreatesUntilInterrupted {
        @Test
        @Timeout(value = 1500, unit = TimeUnit.MILLISECONDS)
        @IsolatedKafka
        void createsTopics(KafkaHandle kafka) {
            bootstrap = kafka.bootstrapServers();
            for (int i = 0; ; i++) {
                MADE.add(kafka.createTopic("t" + i, 1));
            }
        }
    }

    @Test
    void anInterruptedCreationSaysItWasInterruptedAndLeavesNothing(KafkaHandle kafka) throws Exception {
        MADE.clear();
        var results = EngineKit.run(CreatesUntilInterrupted.class);
        Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        List<String> messages = new ArrayList<>();
        Stream.concat(Stream.of(failure), Stream.of(failure.getSuppressed()))
                .forEach(t -> messages.add(String.valueOf(t.getMessage())));
        assertThat(messages).as("the failure and what it suppressed").anySatisfy(m -> assertThat(m)
                .startsWith("Creating topic \"t").contains("was interrupted (by a @Timeout, or because the test ended)"));
        assertThat(messages).noneSatisfy(m -> assertThat(m).contains("null (InterruptedException)"));
        // every topic made, the interrupted one included, is gone once the run ended
        assertThat(MADE).isNotEmpty();
        String prefix = MADE.get(0).substring(0, MADE.get(0).lastIndexOf('_'));
        assertThat(Broker.topics(bootstrap)).noneMatch(t -> t.startsWith(prefix));
    }
}
