package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A hold on a shared server taken outside a JUnit run, for example by an application
 * context that a test framework caches beyond the run. The server stops when the last
 * hold (of JUnit runs and leases) is released; at JVM exit it waits a bounded time for
 * open leases first. Closing twice is harmless.
 *
 * @param <S> the server handle
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface SharedServerLease<S> extends AutoCloseable {

    /** The started server. */
    S server();

    /** Releases this hold. */
    @Override
    void close();
}
