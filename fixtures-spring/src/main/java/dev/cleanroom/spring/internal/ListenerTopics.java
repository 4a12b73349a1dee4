package dev.cleanroom.spring.internal;

import dev.cleanroom.core.RunId;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.KafkaListenerAnnotationBeanPostProcessor.AnnotationEnhancer;

/**
 * Rewrites each {@code @KafkaListener} before Spring Kafka builds its container: topics
 * named by properties become a pattern over this run's topics (which {@link TestTopicsConsumer}
 * narrows to the running tests' copies), and the listener gets a group
 * of its own in this run, remembered with the listener's logical topic names.
 * A topic written literally, explicit partitions or an own pattern are refused: Cleanroom
 * cannot tell which test's copy they mean.
 */
final class ListenerTopics implements AnnotationEnhancer {

    private final Environment environment;
    private final TopicRouting routing;
    private final AtomicInteger listeners = new AtomicInteger();

    ListenerTopics(Environment environment, TopicRouting routing) {
        this.environment = environment;
        this.routing = routing;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> attributes, AnnotatedElement element) {
        String where = describe(element);
        if (Array.getLength(attributes.getOrDefault("topicPartitions", new Object[0])) > 0) {
            throw new IllegalStateException(where + ": Cleanroom gives every test its own copy of a topic, so a "
                    + "@KafkaListener under @IsolatedKafka cannot name topicPartitions. Name the topics by property: "
                    + "topics = \"${app.topics.orders}\".");
        }
        String ownPattern = (String) attributes.getOrDefault("topicPattern", "");
        if (!ownPattern.isEmpty()) {
            throw new IllegalStateException(where + ": Cleanroom gives every test its own copy of a topic, so a "
                    + "@KafkaListener under @IsolatedKafka cannot subscribe by its own topicPattern ('" + ownPattern
                    + "'). Name the topics by property: topics = \"${app.topics.orders}\".");
        }
        Set<String> logicalNames = new LinkedHashSet<>();
        for (String raw : (String[]) attributes.getOrDefault("topics", new String[0])) {
            if (!raw.contains("${")) {
                throw new IllegalStateException(where + " listens to the topic '" + raw + "', written literally. "
                        + "Cleanroom gives every test its own copy of a topic the application reads from a property: "
                        + "write topics = \"${app.topics." + raw + "}\" and set app.topics." + raw + "=" + raw
                        + " in application.properties (then each test declares @Topic(name = \"" + raw + "\")).");
            }
            for (String logical : environment.resolveRequiredPlaceholders(raw).split(",")) {
                logicalNames.add(logical.trim());
            }
        }
        if (logicalNames.isEmpty()) {
            return attributes;
        }
        Map<String, Object> rewritten = new HashMap<>(attributes);
        rewritten.put("topics", new String[0]);
        // physical names need not carry the logical name (pooled topics do not): the pattern over this run's
        // names marks the listener's consumer, which TestTopicsConsumer subscribes to the running tests' copies
        // of its topics by name instead; the interceptor keeps only records of a running test's copy
        rewritten.put("topicPattern", Pattern.quote("cr" + RunId.current() + "_") + ".*");
        String group = (String) attributes.getOrDefault("groupId", "");
        String id = (String) attributes.getOrDefault("id", "");
        boolean idIsGroup = (Boolean) attributes.getOrDefault("idIsGroup", Boolean.TRUE);
        String base = !group.isEmpty() ? environment.resolveRequiredPlaceholders(group)
                : !id.isEmpty() && idIsGroup ? environment.resolveRequiredPlaceholders(id)
                : environment.getProperty(KafkaWiring.GROUP_ID, "listener");
        // a group of its own per listener, so that a record's group says which logical topics it reads
        String listenerGroup = KafkaWiring.runGroup(base) + "-l" + listeners.incrementAndGet();
        routing.listener(listenerGroup, logicalNames);
        rewritten.put("groupId", listenerGroup);
        return rewritten;
    }

    private static String describe(AnnotatedElement element) {
        return element instanceof Method m
                ? "@KafkaListener on " + m.getDeclaringClass().getName() + "." + m.getName() + "()"
                : "@KafkaListener on " + element;
    }
}
