package dev.cleanroom.spring;

/** The same JPA tests in a second class: the same cached context, in parallel, each on its own schema. */
class JpaIsolationSecondClassTest extends JpaIsolationTest {}
