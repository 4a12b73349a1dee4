package dev.cleanroom.examples.workflow;

/** PENDING → RUNNING → SUCCEEDED | FAILED; PENDING → SKIPPED when an earlier task failed or the workflow was cancelled. */
public enum TaskState {
    PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED
}
