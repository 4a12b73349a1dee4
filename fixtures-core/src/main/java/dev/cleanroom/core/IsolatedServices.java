package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.spi.ServiceFactory;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test a fresh instance of each listed factory's service: declare a parameter
 * of the service type. The instance is created when the parameter is resolved (after the
 * fixtures' setup), started, and stopped when the test ends, before the clients and
 * namespaces that were set up before it.
 *
 * <pre>{@code
 * @IsolatedKafka
 * @IsolatedServices(HookReceiverFactory.class)
 * class HookReceiverTest {
 *     @Test
 *     void receives(HookReceiver receiver, EventCoordinator events) { ... }
 * }
 * }</pre>
 *
 * Factories listed on an inner class or a method win over those of enclosing classes and
 * over factories found through {@link java.util.ServiceLoader} for the same service type.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(CleanroomExtension.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface IsolatedServices {

    /** The factories; each needs a no-arg constructor. */
    Class<? extends ServiceFactory<?>>[] value();
}
