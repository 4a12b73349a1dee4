package dev.cleanroom.examples.spring;

import java.util.ArrayList;
import java.util.List;

/** The body of {@code POST /hooks/{source}}. */
public record HookRequest(String id, String type, String payload) {

    /** What is wrong with the request; empty if nothing. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (id == null || id.isBlank()) {
            problems.add("id is missing");
        }
        if (type == null || type.isBlank()) {
            problems.add("type is missing");
        }
        return problems;
    }
}
