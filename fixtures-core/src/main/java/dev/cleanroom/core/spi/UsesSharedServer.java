package dev.cleanroom.core.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Meta-annotation for fixture annotations such as {@code @IsolatedKafka}: the annotated
 * test class or method needs the shared server of {@link #value()}. Before a class runs,
 * the Cleanroom extension starts every server that the class or any of its methods needs,
 * concurrently.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.ANNOTATION_TYPE, ElementType.TYPE, ElementType.METHOD})
@Repeatable(UsesSharedServer.List.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface UsesSharedServer {

    Class<? extends SharedServerProvider<?>> value();

    /** Container for repeated {@link UsesSharedServer}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.ANNOTATION_TYPE, ElementType.TYPE, ElementType.METHOD})
    @interface List {
        UsesSharedServer[] value();
    }
}
