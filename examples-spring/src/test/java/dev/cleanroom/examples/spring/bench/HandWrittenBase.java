package dev.cleanroom.examples.spring.bench;

import dev.cleanroom.examples.spring.HookWorkflowApplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * What a team writes without Cleanroom: the application on one shared database and the
 * application's fixed topics ({@code spring.datasource.*}, {@code spring.kafka.bootstrap-servers}
 * from the benchmark), tables emptied before each test, records told apart by their key,
 * tests one at a time (they share tables and topics).
 */
@SpringBootTest(classes = HookWorkflowApplication.class,
        properties = "spring.kafka.consumer.auto-offset-reset=earliest") // a new context's listener must not miss a record
abstract class HandWrittenBase extends BenchSuite {

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    @Value("${app.topics.workflow-completions}")
    String completions;

    @BeforeEach
    void emptyTables() {
        jdbc.execute("TRUNCATE hook_events, workflow_transitions, workflows");
    }

    @Override
    String awaitOutcome(String workflowId) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(completions).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(workflowId)) {
                        return r.value();
                    }
                }
            }
            throw new AssertionError("no outcome for " + workflowId + " within " + OUTCOME_TIMEOUT);
        }
    }
}
