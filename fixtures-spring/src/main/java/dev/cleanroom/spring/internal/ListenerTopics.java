package dev.cleanroom.spring.internal;

import dev.cleanroom.core.RunId;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.KafkaListenerAnnotationBeanPostProcessor.AnnotationEnhancer;

/**
 * Rewrites each {@code @KafkaListener} before Spring Kafka builds its container: topics
 * named by properties become a pattern over every test's copy of those topics (this run's
 * names ending in the logical name), and the group becomes this run's copy of the group.
 * A topic written literally, explicit partitions or an own pattern are refused: Cleanroom
 * cannot tell which test's copy they mean.
 */
final class ListenerTopics implements AnnotationEnhancer {

    private final Environment environment;
    private final TopicRouting routing;

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
        List<String> alternatives = new ArrayList<>();
        for (String raw : (String[]) attributes.getOrDefault("topics", new String[0])) {
            if (!raw.contains("${")) {
                throw new IllegalStateException(where + " listens to the topic '" + raw + "', written literally. "
                        + "Cleanroom gives every test its own copy of a topic the application reads from a property: "
                        + "write topics = \"${app.topics." + raw + "}\" and set app.topics." + raw + "=" + raw
                        + " in application.properties (then each test declares @Topic(name = \"" + raw + "\")).");
            }
            for (String logical : environment.resolveRequiredPlaceholders(raw).split(",")) {
                String trimmed = logical.trim();
                routing.knownLogical(trimmed);
                alternatives.add(Pattern.quote(trimmed));
            }
        }
        if (alternatives.isEmpty()) {
            return attributes;
        }
        Map<String, Object> rewritten = new HashMap<>(attributes);
        rewritten.put("topics", new String[0]);
        rewritten.put("topicPattern", Pattern.quote("cr" + RunId.current() + "_") + ".*_(?:"
                + String.join("|", alternatives) + ")");
        String group = (String) attributes.getOrDefault("groupId", "");
        String id = (String) attributes.getOrDefault("id", "");
        boolean idIsGroup = (Boolean) attributes.getOrDefault("idIsGroup", Boolean.TRUE);
        if (!group.isEmpty()) {
            rewritten.put("groupId", KafkaWiring.runGroup(environment.resolveRequiredPlaceholders(group)));
        } else if (!id.isEmpty() && idIsGroup) {
            rewritten.put("groupId", KafkaWiring.runGroup(environment.resolveRequiredPlaceholders(id)));
        }
        return rewritten;
    }

    private static String describe(AnnotatedElement element) {
        return element instanceof Method m
                ? "@KafkaListener on " + m.getDeclaringClass().getName() + "." + m.getName() + "()"
                : "@KafkaListener on " + element;
    }
}
