package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Remembers that a shared server died, so that the test that noticed fails with one
 * message naming the server and what it was doing, and every later test that needs it
 * fails at once with the same message instead of waiting for its own timeouts. Internal:
 * do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class ServerGone {

    private final String technology;
    private volatile IllegalStateException gone; // the first declaration wins

    /** @param technology e.g. "Kafka", "PostgreSQL" */
    public ServerGone(String technology) {
        this.technology = technology;
    }

    public boolean isGone() {
        return gone != null;
    }

    /** Fails at once, with the remembered message, if the server was declared gone. */
    public void check() {
        IllegalStateException first = gone;
        if (first != null) {
            throw new IllegalStateException(first.getMessage(), first.getCause());
        }
    }

    /**
     * After a request failed while {@code doing}: if the server was declared gone, or
     * {@code whyGone} now finds it gone, the failure that names it (remembered for every
     * later test); else null, and the caller reports its own failure.
     */
    public IllegalStateException ifGone(String server, java.util.function.Supplier<java.util.Optional<String>> whyGone,
                                        String doing, Throwable failure) {
        if (isGone()) {
            return declare(server, "", doing, failure);
        }
        return whyGone.get().map(reason -> declare(server, reason, doing, failure)).orElse(null);
    }

    /**
     * Declares the server gone (unless it already was) and returns the failure to throw.
     *
     * @param server the server in words: engine, address, container id or pid
     * @param reason why it is gone, e.g. "the container is not running (exit code 137)"
     * @param doing what was being done when it was noticed, e.g. "sending to topic orders for OrderTest.sends()"
     * @param cause what the client saw
     */
    public IllegalStateException declare(String server, String reason, String doing, Throwable cause) {
        synchronized (this) {
            if (gone == null) {
                gone = new IllegalStateException("The shared " + technology + " server is gone: " + server + " — " + reason
                        + ". It stopped answering while " + doing + ". Every later test in this JVM that needs "
                        + technology + " fails at once with this message.", cause);
            }
        }
        return new IllegalStateException(gone.getMessage(), gone.getCause());
    }
}
