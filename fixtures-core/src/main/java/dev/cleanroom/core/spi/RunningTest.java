package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.IsolationScope;
import dev.cleanroom.core.TestIdentity;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A test method that is running now (from the start of its before-each callbacks to the
 * start of its after-each callbacks), as seen from code that has no {@code ExtensionContext}:
 * an application framework's beans, or a thread that works on the test's behalf. Found with
 * {@link Fixtures#currentTest()} or {@link Fixtures#runningTests()}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface RunningTest {

    /** Who the test is. */
    TestIdentity identity();

    /** The handle a fixture published for this test with {@link Fixtures#provide}, if any (yet). */
    <H> Optional<H> fixture(Class<H> handleType);

    /** The test's scope. */
    IsolationScope scope();
}
