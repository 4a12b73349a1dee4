package dev.cleanroom.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.context.WebApplicationContext;

/** The REST contract of POST /hooks/{source}: validation, store once, publish once. */
@IsolatedPostgres
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@SpringBootTest(classes = HookWorkflowApplication.class)
class HookApiTest {

    @Autowired
    WebApplicationContext context;

    @Test
    void invalidHookIsRefusedWithEveryProblemAndNothingIsStoredOrPublished(PostgresHandle postgres, KafkaHandle kafka)
            throws Exception {
        MvcResult response = Hooks.post(Hooks.client(context), "shop", "{\"id\": \"\", \"payload\": \"{}\"}");

        assertThat(response.getResponse().getStatus()).isEqualTo(400);
        assertThat(response.getResponse().getContentAsString()).contains("id is missing", "type is missing");
        assertThat(postgres.queryForObject("select count(*) from hook_events", Long.class)).isZero();
        assertThat(Hooks.keysOn(kafka, "hooks")).isEmpty();
    }

    @Test
    void newHookIsAcceptedAndADuplicateIsStoredAndPublishedNoSecondTime(PostgresHandle postgres, KafkaHandle kafka)
            throws Exception {
        MockMvc client = Hooks.client(context);

        MvcResult first = Hooks.post(client, "shop", Hooks.event("e-1", "order.created"));
        MvcResult second = Hooks.post(client, "shop", Hooks.event("e-1", "order.created"));

        assertThat(first.getResponse().getStatus()).isEqualTo(202);
        assertThat(second.getResponse().getStatus()).isEqualTo(200);
        assertThat(second.getResponse().getContentAsString()).contains("duplicate");
        assertThat(postgres.queryForObject("select count(*) from hook_events", Long.class)).isEqualTo(1L);
        assertThat(Hooks.keysOn(kafka, "hooks")).containsExactly("shop:e-1");
    }
}
