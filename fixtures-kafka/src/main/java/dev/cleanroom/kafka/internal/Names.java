package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.RunId;
import dev.cleanroom.core.TestIdentity;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Physical names. Every name starts with {@code cr<runid>_} so that dead runs' leftovers
 * can be found and several JVMs can share a broker; then a kind marker and a JVM-unique
 * number ({@code t<test sequence>} for names made for one test, {@code p<pool sequence>}
 * for topics created ahead), then a readable slug, then the logical name. Only
 * {@code [a-zA-Z0-9_-]} (no '.', which collides with '_' in Kafka's metric names), at most
 * 249 characters, never reused. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class Names {

    /** Kafka's limit for topic names. */
    public static final int MAX_LENGTH = 249;
    private static final int SLUG_LENGTH = 40;
    private static final AtomicLong POOL_SEQUENCE = new AtomicLong();
    private static final Pattern OURS = Pattern.compile("cr([a-z0-9]{10})_.*");

    private Names() {}

    /** {@code cr<runid>_t<seq>_<class_method>_<logical>}: a topic or group made for one test. */
    public static String forTest(TestIdentity test, String logical) {
        return fit("cr" + test.runId() + "_t" + test.sequenceToken() + "_" + test.slug(SLUG_LENGTH) + "_" + logical);
    }

    /** {@code cr<runid>_p<n>_<class>_<logical>}: a topic created ahead for the tests of one class. */
    public static String forPool(String classSlug, String logical) {
        return fit("cr" + RunId.current() + "_p" + Long.toString(POOL_SEQUENCE.incrementAndGet(), 36) + "_"
                + classSlug + "_" + logical);
    }

    /** The consumer group whose live membership says that run {@code runId} is alive. */
    public static String leaseGroup(String runId) {
        return "cr" + runId + "_lease";
    }

    /** The run id of a name this project made, if it is one. */
    public static Optional<String> runIdOf(String name) {
        Matcher m = OURS.matcher(name);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Class slug of at most 40 characters, for pool names. */
    public static String classSlug(TestIdentity classIdentity) {
        return classIdentity.slug(SLUG_LENGTH);
    }

    private static String fit(String name) {
        if (name.length() > MAX_LENGTH) {
            throw new IllegalStateException("name longer than " + MAX_LENGTH + ": " + name);
        }
        return name;
    }
}
