package dev.cleanroom.examples.workflow;

/** One task of one workflow, as handed to the {@link Downstream}: {@code position} counts from 0. */
public record TaskRequest(String workflowId, String workflowName, String task, int position) {}
