package dev.cleanroom.spring;

/**
 * The same tests in a second class with the same configuration: Spring hands it the same
 * cached context, and its tests run in parallel with the first class's, each still on its
 * own schema and topics.
 */
class KafkaIsolationSecondClassTest extends KafkaIsolationTest {}
