package dev.cleanroom.spring.jpa;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;

/**
 * A Boot application on Spring Data JPA: Hibernate validates its entity against the schema at
 * start-up ({@code ddl-auto=validate}), and its own Flyway migrates at start-up, as most do.
 */
@SpringBootApplication
public class JpaOrdersApplication {

    /** How many application contexts of this application were created in this JVM. */
    public static final AtomicInteger CONTEXTS = new AtomicInteger();

    /** How often the application's own Flyway ran at start-up, over all its contexts. */
    public static final AtomicInteger FLYWAY_RUNS = new AtomicInteger();

    /** How many migrations the application's own Flyway applied at start-up, over all its contexts. */
    public static final AtomicInteger MIGRATIONS_AT_START = new AtomicInteger();

    @Bean
    FlywayMigrationStrategy countingMigrations() {
        CONTEXTS.incrementAndGet();
        return flyway -> {
            FLYWAY_RUNS.incrementAndGet();
            MIGRATIONS_AT_START.addAndGet(flyway.migrate().migrationsExecuted);
        };
    }
}
