package dev.cleanroom.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.RunId;
import dev.cleanroom.kafka.IsolatedKafka;
import dev.cleanroom.kafka.KafkaHandle;
import dev.cleanroom.postgres.IsolatedPostgres;
import dev.cleanroom.postgres.PostgresHandle;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The isolation stress test: the generated suite ({@code stress.classes} classes x 6 tests,
 * 204 by default) run once the Cleanroom way, in parallel (classes and methods concurrent,
 * parallelism 4), in a nested JUnit run on the servers this test holds. Each test asserts it
 * sees exactly its own rows and records through its own consumer group; afterwards nothing
 * of the run may be left: no topic, consumer group or schema that it used, and no other
 * topic, group or schema with the suite's tables that appeared during the run.
 */
@IsolatedKafka
@IsolatedPostgres(migrations = "")
class IsolationStressTest {

    private static final int CLASSES = Integer.getInteger("stress.classes", 34);
    private static final int TESTS_PER_CLASS = 6;

    @Test
    void parallelSuiteSeesOnlyItsOwnDataAndLeavesNothing(KafkaHandle kafka, PostgresHandle postgres,
                                                         @TempDir Path work) throws Exception {
        Admin admin = kafka.admin();
        String prefix = "cr" + RunId.current() + "_";
        Set<String> topicsBefore = topics(admin, prefix);
        Set<String> groupsBefore = groups(admin, prefix);
        Set<String> suiteSchemasBefore = suiteSchemas(postgres, prefix);

        SuiteRun.Result result = SuiteRun.run(Way.CLEANROOM, CLASSES, TESTS_PER_CLASS, 4, work);

        assertThat(result.firstFailure()).as("first failure of the nested suite").isEmpty();
        assertThat(result.failed()).isZero();
        assertThat(result.tests()).isEqualTo((long) CLASSES * TESTS_PER_CLASS);
        // every test had its own namespace: distinct schemas, groups and topics
        assertThat(SeenData.schemas()).hasSize(CLASSES * TESTS_PER_CLASS);
        assertThat(SeenData.groups()).hasSize(CLASSES * TESTS_PER_CLASS);
        assertThat(SeenData.topics()).hasSize(2 * CLASSES * TESTS_PER_CLASS);

        Set<String> topicsAfter = topics(admin, prefix);
        Set<String> groupsAfter = groups(admin, prefix);
        Set<String> suiteSchemasAfter = suiteSchemas(postgres, prefix);
        assertThat(intersection(topicsAfter, SeenData.topics())).as("topics the tests used, still there").isEmpty();
        assertThat(intersection(groupsAfter, SeenData.groups())).as("groups the tests used, still there").isEmpty();
        assertThat(intersection(schemasNamed(postgres, SeenData.schemas()), SeenData.schemas()))
                .as("schemas the tests used, still there").isEmpty();
        assertThat(minus(topicsAfter, topicsBefore)).as("topics the run made and left").isEmpty();
        assertThat(minus(groupsAfter, groupsBefore)).as("groups the run made and left").isEmpty();
        assertThat(minus(suiteSchemasAfter, suiteSchemasBefore)).as("schemas with the suite's tables left").isEmpty();
    }

    private static Set<String> topics(Admin admin, String prefix) throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(n -> n.startsWith(prefix))
                .collect(Collectors.toSet());
    }

    private static Set<String> groups(Admin admin, String prefix) throws Exception {
        return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(GroupListing::groupId)
                .filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
    }

    /** This run's schemas that hold the suite's tables (the outer test's own schema has none). */
    private static Set<String> suiteSchemas(PostgresHandle postgres, String prefix) {
        return postgres.queryForList("SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
                        + "WHERE c.relname = 'customers' AND n.nspname LIKE ?", prefix.replace("_", "\\_") + "%")
                .stream().map(row -> (String) row.get("nspname")).collect(Collectors.toSet());
    }

    private static Set<String> schemasNamed(PostgresHandle postgres, Set<String> names) {
        List<Map<String, Object>> rows = postgres.queryForList(
                "SELECT nspname FROM pg_namespace WHERE nspname = ANY (?)", (Object) names.toArray(String[]::new));
        return rows.stream().map(row -> (String) row.get("nspname")).collect(Collectors.toSet());
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> rest = new HashSet<>(a);
        rest.removeAll(b);
        return rest;
    }
}
