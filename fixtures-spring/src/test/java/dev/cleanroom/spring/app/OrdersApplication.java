package dev.cleanroom.spring.app;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A small Boot application for the module's own tests: orders stored by JDBC, events in and out
 * over Kafka. A JDBC application: the module's test class path also has JPA, for the JPA
 * application in {@code dev.cleanroom.spring.jpa}.
 */
@SpringBootApplication(excludeName = {
    "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
    "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
public class OrdersApplication {

    /** How many application contexts of this application were created in this JVM. */
    public static final AtomicInteger CONTEXTS = new AtomicInteger();

    @Bean
    ContextCounter contextCounter() {
        CONTEXTS.incrementAndGet();
        return new ContextCounter();
    }

    /** Created once per application context. */
    public static final class ContextCounter {}
}
