package dev.cleanroom.benchmarks;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical names of the topics, consumer groups and schemas that the tests of one
 * suite run used: for the table's "topics used" and for the stress test's check that
 * nothing of them is left.
 */
public final class SeenData {

    private static final Set<String> TOPICS = ConcurrentHashMap.newKeySet();
    private static final Set<String> GROUPS = ConcurrentHashMap.newKeySet();
    private static final Set<String> SCHEMAS = ConcurrentHashMap.newKeySet();

    private SeenData() {}

    static void topicUsed(String topic) {
        TOPICS.add(topic);
    }

    static void groupUsed(String group) {
        GROUPS.add(group);
    }

    static void schemaUsed(String schema) {
        SCHEMAS.add(schema);
    }

    /** Forgets everything (before a run). */
    public static void clear() {
        TOPICS.clear();
        GROUPS.clear();
        SCHEMAS.clear();
    }

    public static Set<String> topics() {
        return Set.copyOf(TOPICS);
    }

    public static Set<String> groups() {
        return Set.copyOf(GROUPS);
    }

    public static Set<String> schemas() {
        return Set.copyOf(SCHEMAS);
    }
}
