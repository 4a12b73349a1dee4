package dev.cleanroom.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.kafka.Topic;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import dev.cleanroom.spring.app.OrdersApplication;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The application's KafkaTemplate sends to the test's topics, its @KafkaListener consumes
 * them, and the listener's database rows and records land in the schema and topics of the
 * test whose record it handles. Every test uses the same order id, in parallel with the
 * other tests of this class and of the other classes sharing the context.
 */
@IsolatedPostgres
@IsolatedKafka(topics = {@Topic(name = "orders"), @Topic(name = "order-events")})
@SpringBootTest(classes = OrdersApplication.class)
class KafkaIsolationTest {

    @Autowired
    KafkaTemplate<String, String> template;

    @Autowired
    WebApplicationContext web;

    @RepeatedTest(3)
    void listenerWorkLandsInTheTestsSchemaAndTopics(KafkaHandle kafka, PostgresHandle postgres) {
        kafka.send("orders", "o-1", "created");

        List<ConsumerRecord<String, String>> events = kafka.records("order-events").await(1);
        assertThat(events).extracting(ConsumerRecord::key, ConsumerRecord::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("o-1", "stored:created"));
        assertThat(postgres.queryForList("select id, status from orders"))
                .containsExactly(java.util.Map.of("id", "o-1", "status", "created"));
    }

    @RepeatedTest(2)
    void applicationsTemplateSendsToTheTestsTopic(KafkaHandle kafka, PostgresHandle postgres) throws Exception {
        template.send("orders", "o-1", "paid").get(); // the application's topic name; the test's copy of it

        assertThat(kafka.records("orders").await(1)).extracting(ConsumerRecord::value).containsExactly("paid");
        assertThat(kafka.records("order-events").await(1)).extracting(ConsumerRecord::value)
                .containsExactly("stored:paid");
        assertThat(postgres.queryForObject("select count(*) from orders", Long.class)).isEqualTo(1L);
    }

    @RepeatedTest(2)
    void restEndpointWorksOnTheTestsSchemaAndTopics(KafkaHandle kafka, PostgresHandle postgres) throws Exception {
        // MockMvc calls the controller on the test's thread
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(web).build();

        mvc.perform(post("/orders/o-1").param("status", "created")).andExpect(status().isOk());

        mvc.perform(get("/orders")).andExpect(status().isOk()).andExpect(content().json("[\"o-1\"]"));
        assertThat(kafka.records("order-events").await(1)).extracting(ConsumerRecord::value)
                .containsExactly("stored:created");
        assertThat(postgres.queryForObject("select count(*) from orders", Long.class)).isEqualTo(1L);
    }

    @Test
    void classesWithTheSameConfigurationShareOneContext() {
        assertThat(OrdersApplication.CONTEXTS.get()).isEqualTo(1);
    }
}
