package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.kafka.Topic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * A validated topic declaration: logical name, partitions, configs. Two declarations with
 * equal partitions and configs share a prefetch pool shape. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public record TopicSpec(String logical, int partitions, Map<String, String> configs) {

    /** Longest logical name, so that a physical name always fits Kafka's 249 characters. */
    public static final int MAX_LOGICAL_LENGTH = 100;
    static final int MAX_PARTITIONS = 10_000;

    public TopicSpec {
        configs = Map.copyOf(new TreeMap<>(configs));
    }

    /** Validates and converts the declarations of one annotation; {@code where} names it in messages. */
    public static List<TopicSpec> of(Topic[] topics, String where) {
        List<TopicSpec> specs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Topic topic : topics) {
            TopicSpec spec = validated(topic.name(), topic.partitions(), parseConfigs(topic.configs(), topic.name(), where), where);
            if (!seen.add(spec.logical())) {
                throw new IllegalArgumentException("@Topic(name = \"" + spec.logical() + "\") is declared twice on "
                        + where + ". Logical topic names must be unique within one @IsolatedKafka.");
            }
            specs.add(spec);
        }
        return specs;
    }

    /** Checks one topic request (declared or created during a test). */
    public static TopicSpec validated(String logical, int partitions, Map<String, String> configs, String where) {
        validateLogical(logical, "topic", where);
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("Topic \"" + logical + "\" on " + where + " has partitions = "
                    + partitions + "; a topic needs 1 to " + MAX_PARTITIONS + " partitions.");
        }
        for (Map.Entry<String, String> e : configs.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                throw new IllegalArgumentException("Topic \"" + logical + "\" on " + where
                        + " has a config without key or value: " + e + ".");
            }
        }
        return new TopicSpec(logical, partitions, configs);
    }

    /** Logical topic and group names: 1..100 of [a-zA-Z0-9_-]; '.' is refused (Kafka confuses it with '_' in metrics). */
    public static void validateLogical(String logical, String kind, String where) {
        if (logical == null || logical.isEmpty()) {
            throw new IllegalArgumentException("A " + kind + " on " + where + " has an empty name. Use 1 to "
                    + MAX_LOGICAL_LENGTH + " characters of [a-zA-Z0-9_-].");
        }
        if (logical.length() > MAX_LOGICAL_LENGTH || !logical.matches("[a-zA-Z0-9_-]+")) {
            throw new IllegalArgumentException("Illegal " + kind + " name \"" + logical + "\" on " + where
                    + ": use 1 to " + MAX_LOGICAL_LENGTH + " characters of [a-zA-Z0-9_-] (no '.', which Kafka"
                    + " confuses with '_' in metric names; no spaces).");
        }
    }

    private static Map<String, String> parseConfigs(String[] configs, String logical, String where) {
        Map<String, String> parsed = new TreeMap<>();
        for (String config : configs) {
            int eq = config.indexOf('=');
            if (eq <= 0 || config.substring(0, eq).isBlank()) {
                throw new IllegalArgumentException("Topic \"" + logical + "\" on " + where + " has config \""
                        + config + "\"; write configs as key=value, e.g. \"cleanup.policy=compact\".");
            }
            String key = config.substring(0, eq).trim();
            if (parsed.put(key, config.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("Topic \"" + logical + "\" on " + where + " sets config "
                        + key + " twice.");
            }
        }
        return parsed;
    }

    /** The shape that pools share: partitions and configs, not the name. */
    public record Shape(int partitions, Map<String, String> configs) {}

    public Shape shape() {
        return new Shape(partitions, configs);
    }
}
