package dev.cleanroom.spring.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.core.StateResets;
import dev.cleanroom.core.spi.Fixtures;
import java.lang.reflect.Method;
import org.apiguardian.api.API;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Runs first among Spring's test listeners. In a Cleanroom test it registers the
 * application context's state (its caches and {@code Resettable} beans) with the test's
 * {@link StateResets}, so that it is reset after the test. Spring's transaction and {@code @Sql} listeners
 * use the {@code DataSource} before the test method, in Spring's before-each callback; if
 * that callback runs before Cleanroom's (because {@code @SpringBootTest} is declared first),
 * they would reach the context's schema instead of the test's, so this says how to fix the
 * order. Right before each test's body, it waits until the context's listeners have the
 * test's topics assigned (with Kafka). Registered in {@code META-INF/spring.factories}. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class CleanroomTestExecutionListener implements TestExecutionListener, Ordered {

    private static final String[] BEFORE_METHOD_DATABASE_USERS = {
        "org.springframework.transaction.annotation.Transactional",
        "jakarta.transaction.Transactional",
        "org.springframework.test.context.jdbc.Sql",
        "org.springframework.test.context.jdbc.SqlGroup",
    };

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /**
     * After every before-each callback (Cleanroom's included, whatever the order of the
     * annotations), right before the body: the test is current on this thread. Registers the
     * context's state resets for the test, and waits until the context's listeners have the
     * test's topics assigned (only with Kafka, whose wiring registered the routing bean).
     */
    @Override
    public void beforeTestExecution(TestContext testContext) throws InterruptedException {
        Fixtures.currentTest().ifPresent(test -> StateResets.in(test.scope())
                .register(SpringStateResets.of(testContext.getApplicationContext())));
        if (testContext.hasApplicationContext()
                && testContext.getApplicationContext().containsBean(KAFKA_ROUTING_BEAN)) {
            KafkaWiring.awaitListeners(testContext.getApplicationContext());
        }
    }

    /** {@link KafkaWiring#ROUTING_BEAN}, named here so that this class loads without Kafka's. */
    private static final String KAFKA_ROUTING_BEAN = "cleanroomTopicRouting";

    @Override
    public void beforeTestMethod(TestContext testContext) {
        Class<?> testClass = testContext.getTestClass();
        if (Fixtures.currentTest().isPresent() || CleanroomContextCustomizerFactory.find(testClass,
                CleanroomContextCustomizerFactory.POSTGRES_ANNOTATION, testClass.getClassLoader()).isEmpty()) {
            return;
        }
        Method method = testContext.getTestMethod();
        for (String annotation : BEFORE_METHOD_DATABASE_USERS) {
            if (MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).isPresent(annotation)
                    || MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY).isPresent(annotation)) {
                throw new IllegalStateException(testClass.getName() + " uses @" + annotation.substring(
                        annotation.lastIndexOf('.') + 1) + ", which Spring applies before Cleanroom has given the test "
                        + "its schema, because @SpringBootTest (or @ExtendWith(SpringExtension.class)) is declared "
                        + "before @IsolatedPostgres. Declare @IsolatedPostgres (and @IsolatedKafka) first: JUnit "
                        + "runs extensions in the order their annotations are declared.");
            }
        }
    }
}
