package dev.cleanroom.benchmarks;

import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.postgres.PostgresHandle;
import java.util.List;
import java.util.UUID;

/**
 * Way (a): the generated class is annotated {@code @IsolatedKafka(topics = ...)} and
 * {@code @IsolatedPostgres(migrations = "db/suite")}; the test takes the handles as
 * parameters and uses them as a user would.
 */
public final class CleanroomWay {

    private CleanroomWay() {}

    /** The body of one test of class {@code classToken} (its topics are {@code <classToken>-orders} and {@code -events}). */
    public static void test(KafkaHandle kafka, PostgresHandle postgres, String classToken, Shape shape) throws Exception {
        List<String> topics = List.of(kafka.topic(classToken + "-orders"), kafka.topic(classToken + "-events"));
        SeenData.schemaUsed(postgres.schema());
        SeenData.groupUsed(kafka.groupId("reader"));
        TestBody.run(postgres.dataSource()::getConnection, kafka.producer(), kafka.consumer("reader"), topics,
                classToken + "-" + UUID.randomUUID(), shape, true);
    }
}
