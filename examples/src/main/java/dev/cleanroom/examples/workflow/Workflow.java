package dev.cleanroom.examples.workflow;

import java.util.concurrent.CompletableFuture;

/**
 * A workflow the coordinator accepted. {@link #outcome()} completes when it ends (completed,
 * failed or cancelled), or exceptionally when the coordinator could not record or publish it.
 */
public final class Workflow {

    private final String id;
    private final WorkflowDefinition definition;
    private final CompletableFuture<WorkflowOutcome> outcome = new CompletableFuture<>();

    Workflow(String id, WorkflowDefinition definition) {
        this.id = id;
        this.definition = definition;
    }

    public String id() {
        return id;
    }

    public WorkflowDefinition definition() {
        return definition;
    }

    /** A read-only view of the outcome: completing it from outside has no effect on the coordinator. */
    public CompletableFuture<WorkflowOutcome> outcome() {
        return outcome.copy();
    }

    void finish(WorkflowOutcome result) {
        outcome.complete(result);
    }

    void fail(Throwable failure) {
        outcome.completeExceptionally(failure);
    }

    @Override
    public String toString() {
        return "Workflow[" + id + " " + definition.name() + " " + definition.tasks() + "]";
    }
}
