package dev.cleanroom.examples.spring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The benchmark's tests, the same for every way: the golden path, the failure path, a
 * duplicate and a bad request, through the application's REST endpoint, its listener and
 * its tables. Every test uses an event id of its own, so that they also hold where tests
 * share tables and topics (the hand-written ways); only how a way waits for the outcome
 * record differs ({@link #awaitOutcome}).
 */
abstract class BenchSuite {

    static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    /** The value of the first record keyed {@code workflowId} on the test's completion topic. */
    abstract String awaitOutcome(String workflowId);

    @Test
    void goldenPath() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThat(post(id, "order.created")).isEqualTo(202);

        assertThat(awaitOutcome("hook:shop:" + id)).isEqualTo("SUCCEEDED");
        assertThat(jdbc.queryForObject("select count(*) from workflow_transitions where workflow_id = ?", Long.class,
                "hook:shop:" + id)).isEqualTo(8L);
    }

    @Test
    void failingTask() throws Exception {
        String id = UUID.randomUUID().toString();
        post(id, "order.broken");

        assertThat(awaitOutcome("hook:shop:" + id)).isEqualTo("FAILED");
        assertThat(jdbc.queryForObject("select state from workflows where workflow_id = ?", String.class,
                "hook:shop:" + id)).isEqualTo("FAILED");
    }

    @Test
    void duplicate() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThat(List.of(post(id, "order.cancelled"), post(id, "order.cancelled"))).containsExactly(202, 200);

        assertThat(awaitOutcome("hook:shop:" + id)).isEqualTo("SUCCEEDED");
        assertThat(jdbc.queryForObject("select count(*) from hook_events where event_id = ?", Long.class, id))
                .isEqualTo(1L);
    }

    @Test
    void badRequest() throws Exception {
        assertThat(post("", "order.created")).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from hook_events where event_id = ''", Long.class)).isZero();
    }

    private int post(String id, String type) throws Exception {
        MockMvc client = MockMvcBuilders.webAppContextSetup(context).build();
        return client.perform(MockMvcRequestBuilders.post("/hooks/shop").contentType(MediaType.APPLICATION_JSON)
                .content("{\"id\": \"" + id + "\", \"type\": \"" + type + "\", \"payload\": \"{}\"}"))
                .andReturn().getResponse().getStatus();
    }
}
