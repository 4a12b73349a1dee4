package dev.cleanroom.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.IsolatedServices;
import dev.cleanroom.examples.hooks.HookReceiver;
import dev.cleanroom.examples.hooks.HookReceiverConfig;
import dev.cleanroom.examples.support.HookClient;
import dev.cleanroom.examples.support.HookClient.Response;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The HookReceiver's HTTP contract beyond the happy path: wrong paths and methods, oversized
 * bodies, a failing database (503, nothing published, a retry succeeds), bad configuration.
 */
@IsolatedKafka(topics = @Topic(name = "hooks"))
@IsolatedPostgres(migrations = "db/migration")
@IsolatedServices(HookReceiverFactory.class)
class HookReceiverHttpContractTest {

    @Test
    void unknownPathsAndWrongMethodsSayWhatToUseInstead(HookReceiver receiver) throws Exception {
        HookClient client = new HookClient(receiver.uri());

        Response unknown = client.send("GET", "/orders", null, null);
        Response getHook = client.send("GET", "/hooks/shop", null, null);
        Response postHealth = client.send("POST", "/health", "application/json", "{}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("use POST /hooks/{source} or GET /health");
        assertThat(getHook.status()).isEqualTo(405);
        assertThat(getHook.body()).contains("hooks are sent with POST /hooks/shop; got GET");
        assertThat(postHealth.status()).isEqualTo(405);
    }

    @Test
    void bodyOverTheLimitIsRefusedWith413(HookReceiver receiver, PostgresHandle postgres) throws Exception {
        String big = "{\"id\": \"big\", \"type\": \"t\", \"payload\": {\"x\": \"" + "a".repeat(70 * 1024) + "\"}}";

        Response response = new HookClient(receiver.uri()).post("shop", big);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("body is larger than 65536 bytes");
        assertThat(postgres.queryForObject("select count(*) from hook_events", Long.class)).isZero();
    }

    @Test
    @IsolatedPostgres(migrations = "db/migration", ddl = true) // renames a table to make the database fail
    void failingDatabaseGives503AndPublishesNothingAndARetryWorks(HookReceiver receiver, PostgresHandle postgres,
                                                                   KafkaHandle kafka) throws Exception {
        HookClient client = new HookClient(receiver.uri());
        String event = "{\"id\": \"evt-5\", \"type\": \"order.created\"}";
        postgres.update("alter table hook_events rename to hook_events_away");

        Response failed = client.post("shop", event);

        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.body()).contains("could not store and publish the event").contains("hook_events");
        assertThat(ExampleWiring.keysOn(kafka, "hooks")).isEmpty();

        postgres.update("alter table hook_events_away rename to hook_events");
        Response retried = client.post("shop", event);

        assertThat(retried.status()).isEqualTo(202);
        assertThat(ExampleWiring.keysOn(kafka, "hooks")).containsExactly("shop:evt-5");
    }

    @Test
    void badConfigurationNamesTheSettingAndWhatIsAllowed(PostgresHandle postgres, KafkaHandle kafka) {
        Properties noBootstrap = new Properties();

        assertThatThrownBy(() -> HookReceiverConfig.of(postgres.dataSource(), noBootstrap, "hooks"))
                .hasMessageContaining("kafka properties need 'bootstrap.servers'");
        assertThatThrownBy(() -> HookReceiverConfig.of(postgres.dataSource(), ExampleWiring.kafkaProperties(kafka), " "))
                .hasMessageContaining("topic must be a Kafka topic name");
        assertThatThrownBy(() -> HookReceiverConfig.of(postgres.dataSource(), ExampleWiring.kafkaProperties(kafka), "hooks")
                .withPort(70000))
                .hasMessageContaining("port must be 0 (any free port) or 1-65535, got 70000");
    }
}
