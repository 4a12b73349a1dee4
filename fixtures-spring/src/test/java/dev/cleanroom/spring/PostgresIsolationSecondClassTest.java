package dev.cleanroom.spring;

/** A second class with the same configuration: same cached context, still its own schemas. */
class PostgresIsolationSecondClassTest extends PostgresIsolationTest {}
