/**
 * What a fixture module builds on, rather than what a test uses: the shape of a fixture
 * extension ({@link dev.cleanroom.core.spi.FixtureExtension}) and what core gives it
 * ({@link dev.cleanroom.core.spi.Fixtures}: scopes, configuration, the running tests and the
 * test plan); shared servers started once per JVM ({@link dev.cleanroom.core.spi.SharedServerProvider},
 * {@link dev.cleanroom.core.spi.EngineProvider}, {@link dev.cleanroom.core.spi.UsesSharedServer},
 * leases held outside a JUnit run); resources prepared ahead of demand
 * ({@link dev.cleanroom.core.spi.PrefetchPool}, {@link dev.cleanroom.core.spi.PrefetchWorkers});
 * settings declared through {@link java.util.ServiceLoader}
 * ({@link dev.cleanroom.core.spi.SettingsProvider}); isolated services
 * ({@link dev.cleanroom.core.spi.ServiceFactory}); and the run's statistics. Cleanroom's own
 * Kafka, Postgres and Spring modules are written against it; like the rest of the API it is
 * {@code EXPERIMENTAL} until 1.0.
 */
package dev.cleanroom.core.spi;
