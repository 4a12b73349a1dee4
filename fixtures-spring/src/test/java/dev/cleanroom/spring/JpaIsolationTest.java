package dev.cleanroom.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import dev.cleanroom.spring.jpa.JpaOrdersApplication;
import dev.cleanroom.spring.jpa.Order;
import dev.cleanroom.spring.jpa.OrderRepository;
import dev.cleanroom.spring.jpa.OrderService;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Data JPA repositories and @Transactional services (Hibernate) on each test's schema:
 * every test saves the same order id, in parallel with the other tests of this class and of
 * {@link JpaIsolationSecondClassTest}, in one cached context. That context started only
 * because Hibernate's validation found the migrated tables, and the application's own Flyway
 * found them migrated (it applied nothing on the shared server).
 */
@IsolatedPostgres
@SpringBootTest(classes = JpaOrdersApplication.class,
        properties = {"spring.jpa.hibernate.ddl-auto=validate", "spring.jpa.open-in-view=false"})
class JpaIsolationTest {

    @Autowired
    OrderRepository orders;

    @Autowired
    OrderService service;

    @RepeatedTest(3)
    void repositorySeesOnlyTheTestsOwnRows(PostgresHandle postgres) {
        orders.saveAndFlush(new Order("o-1", "created"));

        assertThat(orders.findAll()).extracting(Order::getId).containsExactly("o-1");
        assertThat(postgres.queryForObject("select count(*) from orders", Long.class)).isEqualTo(1L);
    }

    @Test
    void transactionalServiceRollsBackInTheTestsSchema(PostgresHandle postgres) {
        service.placeBoth(new Order("o-1", "created"), new Order("o-2", "created"), false);

        assertThatThrownBy(() -> service.placeBoth(new Order("o-3", "created"), new Order("o-4", "created"), true))
                .isInstanceOf(IllegalStateException.class);

        assertThat(orders.findAll()).extracting(Order::getId).containsExactlyInAnyOrder("o-1", "o-2");
        assertThat(postgres.queryForObject("select count(*) from orders", Long.class)).isEqualTo(2L);
    }

    @Test
    @Transactional // Spring's test transaction, begun on the test's schema and rolled back after the test
    void testManagedTransactionWorksOnTheTestsSchema(PostgresHandle postgres) {
        orders.saveAndFlush(new Order("o-1", "created"));

        assertThat(orders.count()).isEqualTo(1L);
        assertThat(orders.findById("o-1")).isPresent();
        // not committed: a connection of the test's own pool outside the transaction sees nothing yet
        assertThat(postgres.queryForObject("select count(*) from orders", Long.class)).isZero();
    }

    @Test
    void hibernateValidatedAndFlywayAppliedNothingAtStartUpInOneContext() {
        assertThat(JpaOrdersApplication.CONTEXTS.get()).isEqualTo(1);
        assertThat(JpaOrdersApplication.FLYWAY_RUNS.get()).isEqualTo(1);
        assertThat(JpaOrdersApplication.MIGRATIONS_AT_START.get()).isZero();
    }
}
