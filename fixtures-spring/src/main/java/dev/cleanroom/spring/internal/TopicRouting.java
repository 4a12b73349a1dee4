package dev.cleanroom.spring.internal;

import dev.cleanroom.core.RunId;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.RunningTest;
import dev.cleanroom.kafka.KafkaHandle;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Topic names between the application and the tests. The application names topics by its
 * own property values ({@code app.topics.orders=orders}); each test has its own physical
 * copy of a topic it declares under that logical name ({@code @Topic(name = "orders")}).
 */
final class TopicRouting {

    private final Map<String, Set<String>> listenerTopics = new ConcurrentHashMap<>();
    private final ListenerAssignments assignments = new ListenerAssignments();

    /** The listener consumers and what each has assigned. */
    ListenerAssignments assignments() {
        return assignments;
    }

    /** By listener group: the test's copies of the logical topics that listener reads (only those it has). */
    Map<String, Set<String>> listenerCopies(KafkaHandle kafka) {
        Map<String, Set<String>> copies = new java.util.TreeMap<>();
        listenerTopics.forEach((group, logical) -> {
            Set<String> physical = new java.util.TreeSet<>();
            for (String name : logical) {
                copyOf(kafka, name).ifPresent(physical::add);
            }
            if (!physical.isEmpty()) {
                copies.put(group, physical);
            }
        });
        return copies;
    }

    /** The listener in consumer group {@code group} reads the logical topics {@code logical}. */
    void listener(String group, Set<String> logical) {
        listenerTopics.put(group, Set.copyOf(logical));
    }

    /** The logical topics of the listener in {@code group}; empty for a group Cleanroom did not make. */
    Set<String> listenerTopics(String group) {
        return listenerTopics.getOrDefault(group, Set.of());
    }

    /** True for a physical name of this run (already a test's copy). */
    static boolean isPhysical(String topic) {
        return topic.startsWith("cr" + RunId.current() + "_");
    }

    /** The current test's copy of {@code logical}; an error that says what to declare if it has none. */
    String physicalForCurrentTest(String logical) {
        if (isPhysical(logical)) {
            return logical;
        }
        RunningTest test = TestBinding.current().orElseThrow(() -> new IllegalStateException(
                "Cleanroom: a record for topic '" + logical + "' was sent outside any test (no test runs on thread "
                        + Thread.currentThread().getName() + ", and it handles no test's record), so it has no "
                        + "test's copy of the topic to go to. Send from the test, or from a @KafkaListener handling "
                        + "the test's record."));
        KafkaHandle kafka = test.fixture(KafkaHandle.class).orElseThrow(() -> new IllegalStateException(
                "Cleanroom: " + test.identity().readableName() + " sent a record to topic '" + logical
                        + "' but has no @IsolatedKafka. Annotate it @IsolatedKafka(topics = @Topic(name = \""
                        + logical + "\"))."));
        try {
            return kafka.topic(logical);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalStateException("Cleanroom: " + test.identity().readableName() + " sent a record to topic '"
                    + logical + "', which it does not declare. Add @Topic(name = \"" + logical
                    + "\") to its @IsolatedKafka. (" + unknown.getMessage() + ")", unknown);
        }
    }

    /** The running tests' copies of the logical topics {@code logicalNames}. */
    Set<String> runningTestsTopics(Set<String> logicalNames) {
        Set<String> physical = new java.util.TreeSet<>();
        for (RunningTest test : Fixtures.runningTests()) {
            test.fixture(KafkaHandle.class).ifPresent(kafka -> {
                for (String logical : logicalNames) {
                    copyOf(kafka, logical).ifPresent(physical::add);
                }
            });
        }
        return physical;
    }

    /**
     * The running test whose copy of one of {@code logicalNames} is the physical topic {@code topic},
     * if any (none once the test has ended).
     */
    Optional<RunningTest> ownerOf(String topic, Set<String> logicalNames) {
        for (RunningTest test : Fixtures.runningTests()) {
            Optional<KafkaHandle> kafka = test.fixture(KafkaHandle.class);
            if (kafka.isEmpty()) {
                continue;
            }
            for (String logical : logicalNames) {
                if (copyOf(kafka.get(), logical).filter(topic::equals).isPresent()) {
                    return Optional.of(test);
                }
            }
        }
        return Optional.empty();
    }

    /** The test's copy of {@code logical}, if it has one. */
    private static Optional<String> copyOf(KafkaHandle kafka, String logical) {
        try {
            return Optional.of(kafka.topic(logical));
        } catch (IllegalArgumentException notDeclared) {
            return Optional.empty();
        }
    }
}
