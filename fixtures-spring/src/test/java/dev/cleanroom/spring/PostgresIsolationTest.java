package dev.cleanroom.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import dev.cleanroom.spring.app.OrderStore;
import dev.cleanroom.spring.app.OrdersApplication;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The application's own DataSource, JdbcTemplate and @Transactional work on each test's schema. */
@IsolatedPostgres
@IsolatedKafka(topics = {@Topic(name = "orders"), @Topic(name = "order-events")})
@SpringBootTest(classes = OrdersApplication.class)
class PostgresIsolationTest {

    @Autowired
    OrderStore store;

    @RepeatedTest(3)
    void sameKeyInEveryTestBecauseEachHasItsOwnSchema(PostgresHandle postgres) {
        store.place("o-1", "created", false);

        assertThat(store.ids()).containsExactly("o-1");
        assertThat(store.currentSchema()).isEqualTo(postgres.schema());
        assertThat(postgres.queryForObject("select count(*) from orders", Long.class)).isEqualTo(1L);
    }

    @Test
    void transactionalServiceRollsBackInTheTestsSchema(PostgresHandle postgres) {
        store.place("kept", "created", false);

        assertThatThrownBy(() -> store.place("rolled-back", "created", true)).isInstanceOf(IllegalStateException.class);

        assertThat(store.ids()).containsExactly("kept");
        assertThat(postgres.queryForObject("select count(*) from order_events", Long.class)).isEqualTo(1L);
    }

    @Test
    void classesWithTheSameConfigurationShareOneContext() {
        assertThat(OrdersApplication.CONTEXTS.get()).isEqualTo(1);
    }
}
