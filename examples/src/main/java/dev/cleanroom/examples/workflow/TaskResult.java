package dev.cleanroom.examples.workflow;

/** How one task ended; {@code detail} is the downstream's answer or the reason it failed or was skipped. */
public record TaskResult(String task, TaskState state, String detail) {}
