/**
 * The example workflow coordinator: {@link dev.cleanroom.examples.workflow.WorkflowCoordinator}
 * consumes hook events from Kafka, starts the workflow its
 * {@link dev.cleanroom.examples.workflow.WorkflowRouter} picks (once per event however often it
 * is delivered), runs its tasks one after the other against a
 * {@link dev.cleanroom.examples.workflow.Downstream} behind a circuit breaker, records every
 * state transition in Postgres ({@link dev.cleanroom.examples.workflow.WorkflowStore}) and
 * publishes each {@link dev.cleanroom.examples.workflow.WorkflowOutcome}.
 */
package dev.cleanroom.examples.workflow;
