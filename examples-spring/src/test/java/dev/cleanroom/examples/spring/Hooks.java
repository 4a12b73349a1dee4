package dev.cleanroom.examples.spring;


import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.TopicRecords;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** The suite's helpers: the REST client (MockMvc runs the controller on the test's thread) and topic contents. */
final class Hooks {

    private static final String MARKER_TYPE = "test.marker"; // a type no route knows: the coordinator ignores it

    private Hooks() {}

    static MockMvc client(WebApplicationContext context) {
        return MockMvcBuilders.webAppContextSetup(context).build();
    }

    /** POSTs a hook event; the response (status, body). */
    static MvcResult post(MockMvc client, String source, String json) throws Exception {
        return client.perform(MockMvcRequestBuilders.post("/hooks/" + source).contentType(MediaType.APPLICATION_JSON).content(json)).andReturn();
    }

    static String event(String id, String type) {
        return "{\"id\": \"" + id + "\", \"type\": \"" + type + "\", \"payload\": \"{}\"}";
    }

    /**
     * Every key on the test's copy of {@code logical}, in order, and nothing missing: a marker
     * is sent last and everything before it is read.
     */
    static List<String> keysOn(KafkaHandle kafka, String logical) {
        String marker = "marker-" + UUID.randomUUID();
        kafka.send(logical, marker, MARKER_TYPE);
        TopicRecords<String, String> records = kafka.records(logical);
        records.await(record -> marker.equals(record.key()));
        return records.received().stream().map(ConsumerRecord::key).takeWhile(key -> !marker.equals(key))
                .filter(key -> !key.startsWith("marker-")).toList();
    }

}
