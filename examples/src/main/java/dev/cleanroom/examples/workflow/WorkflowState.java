package dev.cleanroom.examples.workflow;

/** PENDING → RUNNING → COMPLETED | FAILED | CANCELLED (a stop while it was pending or running). */
public enum WorkflowState {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
