package dev.cleanroom.examples.workflow;

/**
 * The dependency that does a workflow's tasks: in production a remote service, so the
 * coordinator calls it through a circuit breaker. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Downstream {

    /**
     * Performs one task. Returning normally means the task succeeded (the returned text is
     * recorded as its detail); throwing means it failed.
     */
    String execute(TaskRequest request) throws Exception;
}
