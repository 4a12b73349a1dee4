/**
 * The example webhook receiver: {@link dev.cleanroom.examples.hooks.HookReceiver} accepts
 * events over HTTP ({@code POST /hooks/{source}}), validates them
 * ({@link dev.cleanroom.examples.hooks.HookRequestParser}), stores each once per source and id
 * in Postgres and publishes it to Kafka as a {@link dev.cleanroom.examples.hooks.HookEvent}.
 */
package dev.cleanroom.examples.hooks;
