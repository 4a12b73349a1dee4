package dev.cleanroom.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.context.WebApplicationContext;

/**
 * End to end: REST -> Postgres + Kafka -> the @KafkaListener's workflow (rows written and a
 * record sent on the listener's thread) -> the outcome on the completion topic, all in the
 * test's own schema and topics.
 */
@IsolatedPostgres
@IsolatedKafka(topics = {@Topic(name = "hooks"), @Topic(name = "workflow-completions")})
@SpringBootTest(classes = HookWorkflowApplication.class)
class GoldenPathTest {

    @Autowired
    WebApplicationContext context;

    @Test
    void hookRunsItsWorkflowToSuccess(KafkaHandle kafka, PostgresHandle postgres) throws Exception {
        MockMvc client = Hooks.client(context);

        assertThat(Hooks.post(client, "shop", Hooks.event("e-1", "order.created")).getResponse().getStatus())
                .isEqualTo(202);

        List<ConsumerRecord<String, String>> outcomes = kafka.records("workflow-completions").await(1);
        assertThat(outcomes).extracting(ConsumerRecord::key, ConsumerRecord::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hook:shop:e-1", "SUCCEEDED"));
        assertThat(postgres.queryForObject("select string_agg(coalesce(task_name, 'workflow') || ':' || to_state, "
                + "',' order by id) from workflow_transitions", String.class).split(",")).containsExactly("workflow:RUNNING",
                "reserve:RUNNING", "reserve:SUCCEEDED", "charge:RUNNING", "charge:SUCCEEDED", "ship:RUNNING",
                "ship:SUCCEEDED", "workflow:SUCCEEDED");
        String body = client.perform(get("/workflows/hook:shop:e-1")).andReturn().getResponse().getContentAsString();
        assertThat(body).contains("\"state\":\"SUCCEEDED\"");
    }

    @Test
    void failingTaskFailsTheWorkflowAndStopsIt(KafkaHandle kafka, PostgresHandle postgres) throws Exception {
        Hooks.post(Hooks.client(context), "shop", Hooks.event("e-1", "order.broken"));

        assertThat(kafka.records("workflow-completions").await(1)).extracting(ConsumerRecord::value)
                .containsExactly("FAILED");
        assertThat(postgres.queryForObject("select state from workflows", String.class)).isEqualTo("FAILED");
        assertThat(postgres.queryForObject("select string_agg(task_name, ',') from workflow_transitions "
                + "where to_state = 'FAILED'", String.class)).isEqualTo(WorkflowRouter.FAILING_TASK);
    }

    @Test
    void unknownWorkflowIsNotFound() throws Exception {
        assertThat(Hooks.client(context).perform(get("/workflows/hook:shop:none")).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
    }
}
