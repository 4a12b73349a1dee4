package dev.cleanroom.examples.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A webhook event as the HookReceiver accepted it: where it came from ({@code source}, the
 * path segment of {@code POST /hooks/{source}}), the sender's event id (unique per source),
 * its type, its JSON payload (an object), and when it was received.
 *
 * <p>On Kafka it travels as JSON ({@link #toJson()} / {@link #fromJson(String)}), keyed by
 * {@link #key()}.
 */
public record HookEvent(String source, String id, String type, JsonNode payload, Instant receivedAt) {

    static final ObjectMapper JSON = new ObjectMapper();

    public HookEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The Kafka record key: {@code source:id}, so one sender's events keep their order. */
    public String key() {
        return source + ":" + id;
    }

    /** This event as the JSON document published to Kafka. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("source", source);
        node.put("id", id);
        node.put("type", type);
        node.set("payload", payload);
        node.put("receivedAt", receivedAt.toString());
        return node.toString();
    }

    /**
     * Reads an event published by {@link #toJson()}.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static HookEvent fromJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON hook event: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON hook event: expected an object, got " + json);
        }
        try {
            return new HookEvent(text(node, "source"), text(node, "id"), text(node, "type"),
                    node.path("payload").isObject() ? node.get("payload") : JSON.createObjectNode(),
                    Instant.parse(text(node, "receivedAt")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("hook event field 'receivedAt' is not an ISO-8601 instant: "
                    + node.get("receivedAt"), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("hook event field '" + field + "' is missing or not a string in " + node);
        }
        return value.asText();
    }
}
