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
 * for topics created ahead), then a readable slug and the logical name (for one test) or
 * the shape (created ahead). Only
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

    /**
     * {@code cr<runid>_p<n>_<partitions>p[_c<hash>]}: a topic created ahead for any test of
     * the run that declares a topic of this shape; the hash stands for the configs. Which
     * test had it is in the test's handle, the debug log and, for failed tests, the run summary.
     */
    public static String forPool(TopicSpec.Shape shape) {
        String configs = shape.configs().isEmpty() ? ""
                : "_c" + Integer.toString(shape.configs().toString().hashCode() & 0x7fffffff, 36);
        return fit("cr" + RunId.current() + "_p" + Long.toString(POOL_SEQUENCE.incrementAndGet(), 36) + "_"
                + shape.partitions() + "p" + configs);
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

    private static String fit(String name) {
        if (name.length() > MAX_LENGTH) {
            throw new IllegalStateException("name longer than " + MAX_LENGTH + ": " + name);
        }
        return name;
    }
}
