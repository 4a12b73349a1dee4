/**
 * Resilience4j's circuit breakers as {@link dev.cleanroom.core.Resettable}s, so that
 * {@link dev.cleanroom.core.CircuitBreakers} can start every test with them closed and with
 * fresh metrics. The only package that touches Resilience4j types; it needs the optional
 * dependency {@code io.github.resilience4j:resilience4j-circuitbreaker} on the test class path.
 */
package dev.cleanroom.core.resilience4j;
