package dev.cleanroom.examples.spring;

/** The same tests in a second class: same configuration, so the same cached context, run concurrently with the first. */
class IsolationSecondClassTest extends IsolationTest {}
