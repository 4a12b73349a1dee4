package dev.cleanroom.examples.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a request body into a {@link HookEvent}, or into the list of everything wrong with it. */
final class HookRequestParser {

    static final Pattern SOURCE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    static final Set<String> FIELDS = Set.of("id", "type", "payload");

    /** Why a request was refused: an HTTP status and the problems, each saying what is wrong and what is allowed. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final List<String> problems;

        Rejected(int status, List<String> problems) {
            super(String.join("; ", problems), null, false, false);
            this.status = status;
            this.problems = List.copyOf(problems);
        }
    }

    private HookRequestParser() {}

    static void checkSource(String source) throws Rejected {
        if (!SOURCE.matcher(source).matches()) {
            throw new Rejected(400, List.of("source '" + source + "' in the path is not allowed: use 1-64 characters "
                    + "[a-z0-9-] starting with a letter or digit, e.g. POST /hooks/github"));
        }
    }

    static HookEvent parse(String source, byte[] body, Instant receivedAt) throws Rejected {
        JsonNode node;
        try {
            node = HookEvent.JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new Rejected(400, List.of("body is not valid JSON: " + e.getOriginalMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw new Rejected(400, List.of("body is empty: send a JSON object {\"id\": ..., \"type\": ..., \"payload\": {...}}"));
        }
        if (!node.isObject()) {
            throw new Rejected(400, List.of("body must be a JSON object {\"id\": ..., \"type\": ..., \"payload\": {...}}, got a JSON "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        List<String> problems = new ArrayList<>();
        String id = requiredText(node, "id", ID, "1-128 characters [A-Za-z0-9._:-]", problems);
        String type = requiredText(node, "type", TYPE, "1-100 characters [A-Za-z0-9._-]", problems);
        JsonNode payload = node.get("payload");
        if (payload != null && !payload.isObject()) {
            problems.add("field 'payload' must be a JSON object when present, got a JSON "
                    + payload.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add("unknown field '" + name + "': allowed fields are id, type, payload");
            }
        }
        if (!problems.isEmpty()) {
            throw new Rejected(400, problems);
        }
        return new HookEvent(source, id, type, payload == null ? HookEvent.JSON.createObjectNode() : payload, receivedAt);
    }

    private static String requiredText(JsonNode node, String field, Pattern allowed, String rule, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problems.add("field '" + field + "' is required: a string of " + rule);
            return null;
        }
        if (!value.isTextual()) {
            problems.add("field '" + field + "' must be a string of " + rule + ", got " + value);
            return null;
        }
        if (!allowed.matcher(value.asText()).matches()) {
            problems.add("field '" + field + "' must be a string of " + rule + ", got \"" + value.asText() + "\"");
            return null;
        }
        return value.asText();
    }
}
