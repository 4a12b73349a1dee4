package dev.cleanroom.kafka;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * A topic that each test of an {@link IsolatedKafka @IsolatedKafka} class or method gets.
 * {@link #name()} is the logical name the test uses with {@link KafkaHandle}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface Topic {

    /** Logical name: 1 to 100 characters of {@code [a-zA-Z0-9_-]}, unique within the declaration. */
    String name();

    /** Partition count, at least 1. */
    int partitions() default 1;

    /** Topic configs as {@code key=value}, e.g. {@code "cleanup.policy=compact"}. */
    String[] configs() default {};
}
