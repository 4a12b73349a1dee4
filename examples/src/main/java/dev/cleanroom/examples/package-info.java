/**
 * The example services that Cleanroom's example suite tests: a webhook receiver
 * ({@code dev.cleanroom.examples.hooks}) that stores events in Postgres and publishes them
 * to Kafka, and a workflow coordinator ({@code dev.cleanroom.examples.workflow}) that consumes
 * them and runs workflows; here, what both share ({@link dev.cleanroom.examples.NamedThreads}).
 * Not published: they stand for the user's own code.
 */
package dev.cleanroom.examples;
