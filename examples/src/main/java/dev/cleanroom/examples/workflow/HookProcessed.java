package dev.cleanroom.examples.workflow;

import dev.cleanroom.examples.hooks.HookEvent;
import java.util.Optional;

/**
 * A hook event the coordinator consumed and handled: the workflow it started (or had already
 * started, for a redelivered event), or none when no workflow is routed to its type.
 */
public record HookProcessed(HookEvent event, Optional<String> workflowId, boolean duplicate) {}
