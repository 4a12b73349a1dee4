package dev.cleanroom.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.IsolatedServices;
import dev.cleanroom.examples.hooks.HookEvent;
import dev.cleanroom.examples.hooks.HookReceiver;
import dev.cleanroom.examples.support.HookClient;
import dev.cleanroom.examples.support.HookClient.Response;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Pattern: an isolated HTTP service tested through a real HTTP client. Each test gets its
 * own HookReceiver on a free port, storing in its own schema and publishing to its own
 * topic, so tests can post the same event ids in parallel without meeting.
 */
@IsolatedKafka(topics = @Topic(name = "hooks"))
@IsolatedPostgres(migrations = "db/migration")
@IsolatedServices(HookReceiverFactory.class)
class IsolatedHookReceiverTest {

    private static final String ORDER_CREATED = """
            {"id": "evt-1", "type": "order.created", "payload": {"order": "o-1"}}""";

    @Test
    void acceptedHookIsStoredAndPublished(HookReceiver receiver, PostgresHandle postgres, KafkaHandle kafka)
            throws Exception {
        Response response = new HookClient(receiver.uri()).post("shop", ORDER_CREATED);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(postgres.queryForList("select source, event_id, event_type from hook_events"))
                .containsExactly(java.util.Map.of("source", "shop", "event_id", "evt-1", "event_type", "order.created"));
        ConsumerRecord<String, String> published = kafka.records("hooks").await(1, Duration.ofSeconds(30)).get(0);
        assertThat(published.key()).isEqualTo("shop:evt-1");
        assertThat(HookEvent.fromJson(published.value()).payload().get("order").asText()).isEqualTo("o-1");
    }

    @Test
    void sameEventTwiceIsStoredAndPublishedOnce(HookReceiver receiver, PostgresHandle postgres, KafkaHandle kafka)
            throws Exception {
        HookClient client = new HookClient(receiver.uri());

        assertThat(client.post("shop", ORDER_CREATED).status()).isEqualTo(202);
        Response again = client.post("shop", ORDER_CREATED);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("\"status\":\"duplicate\"");
        assertThat(postgres.queryForObject("select count(*) from hook_events", Long.class)).isEqualTo(1L);
        assertThat(ExampleWiring.keysOn(kafka, "hooks")).containsExactly("shop:evt-1");
    }

    @Test
    void badHookIsRefusedWithWhatIsWrongAndLeavesNoTrace(HookReceiver receiver, PostgresHandle postgres,
                                                         KafkaHandle kafka) throws Exception {
        HookClient client = new HookClient(receiver.uri());

        Response missingType = client.post("shop", "{\"id\": \"evt-2\", \"payload\": []}");
        Response notJson = client.post("shop", "{\"id\": ");
        Response badSource = client.post("Shop!", ORDER_CREATED);
        Response wrongMediaType = client.send("POST", "/hooks/shop", "text/plain", ORDER_CREATED);

        assertThat(missingType.status()).isEqualTo(400);
        assertThat(missingType.body())
                .contains("field 'type' is required")
                .contains("field 'payload' must be a JSON object");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body()).contains("body is not valid JSON");
        assertThat(badSource.status()).isEqualTo(400);
        assertThat(badSource.body()).contains("source 'Shop!' in the path is not allowed");
        assertThat(wrongMediaType.status()).isEqualTo(415);
        assertThat(wrongMediaType.body()).contains("Content-Type must be application/json");

        assertThat(postgres.queryForObject("select count(*) from hook_events", Long.class)).isZero();
        assertThat(ExampleWiring.keysOn(kafka, "hooks")).isEmpty();
    }

    @Test
    void healthSaysUpWhileTheDatabaseAnswers(HookReceiver receiver) throws Exception {
        Response health = new HookClient(receiver.uri()).health();

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }
}
