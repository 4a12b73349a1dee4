package dev.cleanroom.spring.internal;

import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.RunningTest;
import java.util.Optional;

/**
 * Which test the application's code is working for on this thread: the test running on it
 * (a test method, or code it calls such as MockMvc), else the test a listener thread bound
 * itself to while it handles one of that test's records.
 */
final class TestBinding {

    private static final ThreadLocal<RunningTest> BOUND = new ThreadLocal<>();

    private TestBinding() {}

    static Optional<RunningTest> current() {
        RunningTest bound = BOUND.get();
        return bound != null ? Optional.of(bound) : Fixtures.currentTest();
    }

    static <H> Optional<H> currentFixture(Class<H> type) {
        return current().flatMap(test -> test.fixture(type));
    }

    /** Makes {@code test} current on this (non-test) thread until {@link #unbind()}. */
    static void bind(RunningTest test) {
        BOUND.set(test);
    }

    static void unbind() {
        BOUND.remove();
    }
}
