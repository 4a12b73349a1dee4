package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Thread names (Java regexes, matched against the whole name) that leak detection ignores
 * for the annotated test class or method, in addition to the built-in filters and
 * {@code cleanroom.leaks.ignore-threads}. Use it for threads of a library that you cannot
 * stop and that are not yours to stop.
 *
 * <pre>{@code
 * @Cleanroom
 * @IgnoreLeakedThreads("grpc-default-executor-.*")
 * class GrpcTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface IgnoreLeakedThreads {

    /** Regexes of thread names to ignore. */
    String[] value();
}
