package dev.cleanroom.spring.internal;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.SharedServerLease;
import dev.cleanroom.postgres.PostgresHandle;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import dev.cleanroom.postgres.internal.IsolatedDatabase;
import dev.cleanroom.postgres.internal.PostgresServer;
import java.lang.reflect.Method;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * The Postgres half of a Cleanroom context: a schema of the context's own, migrated like
 * every test's (the target outside tests), {@code JdbcConnectionDetails} for it, and the
 * post-processor that turns the application's {@code DataSource} into a
 * {@link RoutingDataSource}.
 */
final class PostgresWiring {

    private static final String BOOT_JDBC_DETAILS = "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails";

    private PostgresWiring() {}

    static void register(ConfigurableApplicationContext context, DefaultListableBeanFactory beans, PostgresNeeds needs,
                         Configuration configuration, ClassLoader loader) {
        SharedServerLease<PostgresServer> lease = Fixtures.leaseSharedServer(configuration, PostgresServerProvider.class);
        IsolatedDatabase contextSchema;
        try {
            contextSchema = lease.server().isolate(needs.mode(), needs.migrations(),
                    TestIdentity.named("spring-context"), loader, configuration);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        beans.registerDisposableBean("cleanroomPostgresLease", () -> {
            try {
                contextSchema.release();
            } finally {
                lease.close();
            }
        });
        if (ClassUtils.isPresent(BOOT_JDBC_DETAILS, loader)) {
            beans.registerSingleton("cleanroomJdbcConnectionDetails", new CleanroomJdbcConnectionDetails(contextSchema));
        }
        beans.addBeanPostProcessor(new DataSourceRouter(beans, contextSchema));
    }

    /** Wraps every {@code DataSource} bean; refuses one whose concrete type others might inject. */
    private record DataSourceRouter(DefaultListableBeanFactory beans, PostgresHandle contextSchema)
            implements BeanPostProcessor {

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof DataSource) || bean instanceof RoutingDataSource) {
                return bean;
            }
            Class<?> declared = declaredType(beanName);
            boolean boots = declared == null || isBootsOwn(beanName);
            if (!boots && declared != DataSource.class) {
                throw new BeanCreationException(beanName, "Cleanroom cannot wrap the DataSource bean '" + beanName
                        + "' because it is declared as " + declared.getName() + ", so code may inject that type, and "
                        + "a test's connections must come from that test's schema. Declare the @Bean method's return "
                        + "type as javax.sql.DataSource (Cleanroom then routes it to each test's schema), or leave the "
                        + "DataSource to Spring Boot, which builds it from the JdbcConnectionDetails Cleanroom provides.");
            }
            return new RoutingDataSource(contextSchema.dataSource(), bean);
        }

        private Class<?> declaredType(String beanName) {
            if (!beans.containsBeanDefinition(beanName)) {
                return null; // a registered singleton
            }
            BeanDefinition definition = beans.getMergedBeanDefinition(beanName);
            if (definition instanceof RootBeanDefinition root) {
                Method factory = root.getResolvedFactoryMethod();
                if (factory != null) {
                    return factory.getReturnType();
                }
                return root.hasBeanClass() ? root.getBeanClass() : null;
            }
            return null;
        }

        private boolean isBootsOwn(String beanName) {
            BeanDefinition definition = beans.getMergedBeanDefinition(beanName);
            String source = definition.getResourceDescription() + " " + definition.getFactoryBeanName();
            if (definition instanceof RootBeanDefinition root && root.getResolvedFactoryMethod() != null) {
                source += " " + root.getResolvedFactoryMethod().getDeclaringClass().getName();
            }
            return source.contains("org.springframework.boot.");
        }
    }
}
