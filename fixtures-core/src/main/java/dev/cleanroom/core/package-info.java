/**
 * The core of Cleanroom: {@link dev.cleanroom.core.Cleanroom @Cleanroom} and its
 * {@link dev.cleanroom.core.CleanroomExtension}, which give every test class and test method
 * its own {@link dev.cleanroom.core.IsolationScope} torn down in a fixed order, and start the
 * servers the whole suite shares; the test-scope helpers a test declares as parameters
 * ({@link dev.cleanroom.core.TaskTracker} and the leak reports, {@link dev.cleanroom.core.EventCoordinator},
 * {@link dev.cleanroom.core.StateResets}, {@link dev.cleanroom.core.CircuitBreakers},
 * {@link dev.cleanroom.core.IsolatedServices});
 * and {@link dev.cleanroom.core.Configuration}, the one lookup of every {@code cleanroom.*}
 * setting. The fixtures themselves are in {@code dev.cleanroom.kafka} and
 * {@code dev.cleanroom.postgres}; what a fixture module builds on is in {@link dev.cleanroom.core.spi}.
 *
 * <h2>API status</h2>
 * Cleanroom's public types carry apiguardian's {@link org.apiguardian.api.API @API}
 * annotation (an {@code internal} package carries it once, on the package), with the meaning
 * JUnit gives it:
 * <ul>
 *   <li>{@code EXPERIMENTAL}: new, and feedback is wanted; it may change incompatibly, or go,
 *       in any release, without being deprecated first.</li>
 *   <li>{@code MAINTAINED}: no incompatible change for at least the next minor release; removal
 *       only after it was {@code DEPRECATED}.</li>
 *   <li>{@code STABLE}: no incompatible change within the current major version.</li>
 *   <li>{@code INTERNAL}: implementation, not API: for Cleanroom's own modules only; it may change
 *       without notice. Whole packages named {@code internal} are such.</li>
 * </ul>
 * Cleanroom is at 0.1 and has not had a release with compatibility promises, so every public
 * type is {@code EXPERIMENTAL} (and {@code since = "0.1"}) until 1.0. For a user of 0.1 that means:
 * what is public is what we intend to keep, and tests written against it are the feedback we
 * want, but a name, a signature or a default may still change in any 0.x release; depend on
 * an exact version and read what changed when you move to the next. Types will be promoted to
 * {@code MAINTAINED} or {@code STABLE} when their shape has settled; none is yet.
 */
package dev.cleanroom.core;
