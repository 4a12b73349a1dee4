package dev.cleanroom.spring.internal;

import dev.cleanroom.core.Configuration;
import java.util.Objects;
import java.util.Optional;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Wires one application context to Cleanroom: leases the shared servers before the context
 * starts (they stay up until it closes) and registers the beans that route the
 * application's {@code DataSource} and Kafka clients to the current test. Equal for equal
 * needs, so that Spring's context cache shares one context between such classes.
 */
final class CleanroomContextCustomizer implements ContextCustomizer {

    private final PostgresNeeds postgres; // null: the context's tests do not use @IsolatedPostgres
    private final boolean kafka;

    CleanroomContextCustomizer(PostgresNeeds postgres, boolean kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        ClassLoader loader = Optional.ofNullable(context.getClassLoader()).orElse(getClass().getClassLoader());
        Configuration configuration = Configuration.load(loader, key -> Optional.empty());
        DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
        CleanroomSessionListener.track(context);
        if (postgres != null) {
            PostgresWiring.register(context, beans, postgres, configuration, loader);
        }
        if (kafka) {
            KafkaWiring.register(context, beans, configuration);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CleanroomContextCustomizer other && kafka == other.kafka
                && Objects.equals(postgres, other.postgres);
    }

    @Override
    public int hashCode() {
        return Objects.hash(postgres, kafka);
    }

    @Override
    public String toString() {
        return "Cleanroom(postgres=" + postgres + ", kafka=" + kafka + ")";
    }
}
