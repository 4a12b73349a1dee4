package dev.cleanroom.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import dev.cleanroom.spring.app.OrderStore;
import dev.cleanroom.spring.app.OrdersApplication;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Where per-test isolation stops: work on a thread that the test did not run on and that
 * handles none of the test's records (the application's own executors, schedulers, an
 * embedded web server's threads) is no test's work.
 */
@IsolatedPostgres
@IsolatedKafka(topics = {@Topic(name = "orders"), @Topic(name = "order-events")})
@SpringBootTest(classes = OrdersApplication.class)
class BoundariesTest {

    @Autowired
    OrderStore store;

    @Autowired
    KafkaTemplate<String, String> template;

    @Test
    void databaseWorkOnAnotherThreadGoesToTheContextsSchemaNotTheTests(PostgresHandle postgres) throws Exception {
        String elsewhere = CompletableFuture.supplyAsync(store::currentSchema).get(30, TimeUnit.SECONDS);

        assertThat(store.currentSchema()).isEqualTo(postgres.schema());
        assertThat(elsewhere).isNotEqualTo(postgres.schema());
    }

    @Test
    void aSendOnAnotherThreadIsRefusedRatherThanSentToASharedTopic() {
        CompletableFuture<?> send = CompletableFuture.runAsync(() -> template.send("orders", "o-1", "created"));

        assertThat(send).failsWithin(java.time.Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                .havingRootCause().isInstanceOf(IllegalStateException.class)
                .withMessageContaining("a record for topic 'orders' was sent outside any test");
    }
}
