package dev.cleanroom.kafka;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.kafka.internal.DeclarationCheck;
import dev.cleanroom.kafka.internal.IsolatedKafkaExtension;
import dev.cleanroom.kafka.internal.KafkaServerProvider;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives every test its own topics and consumer groups on a Kafka broker that the whole
 * suite shares. On a class, each test method gets its own; on a method, that test does.
 * Usable as a meta-annotation.
 *
 * <pre>{@code
 * @IsolatedKafka(topics = @Topic(name = "orders", partitions = 3))
 * class OrdersTest {
 *     @Test
 *     void sendsOrder(KafkaHandle kafka) {
 *         kafka.send("orders", "o-1", "created");
 *         assertThat(kafka.records("orders").await(1)).hasSize(1);
 *     }
 * }
 * }</pre>
 *
 * <p>Declared topics exist before the test starts, under a physical name that
 * {@link KafkaHandle#topic(String)} returns. At teardown the test's clients are closed,
 * then its topics and consumer groups are deleted in the background, confirmed once
 * when the run ends. When both the method and its class are annotated, the method's
 * declaration wins.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(DeclarationCheck.class) // first: a bad declaration fails before any server is started or connected to
@ExtendWith(CleanroomExtension.class)
@ExtendWith(IsolatedKafkaExtension.class)
@UsesSharedServer(KafkaServerProvider.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface IsolatedKafka {

    /** The topics each test gets, by logical name. */
    Topic[] topics() default {};
}
