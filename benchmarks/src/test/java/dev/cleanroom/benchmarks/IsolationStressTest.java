package dev.cleanroom.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cleanroom.core.RunId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The isolation stress test: the generated suite ({@code stress.classes} classes x 6 tests,
 * 204 by default) run once the Cleanroom way, in parallel (classes and methods concurrent,
 * parallelism 4), as a nested JUnit run on the {@code external} engines pointed at a Kafka and
 * a PostgreSQL container this test starts itself. Each test asserts it sees exactly its own
 * rows and records through its own consumer group; every test had a schema, a group and
 * topics of its own; JUnit never had more than 4 tests in flight at once; and once the run
 * has ended, nothing whose name says it belongs to the
 * run ({@code cr<run id>_...}) is left on either server: no topic, consumer group, schema or
 * role.
 */
class IsolationStressTest {

    private static final int CLASSES = Integer.getInteger("stress.classes", 34);
    private static final int TESTS_PER_CLASS = 6;

    @Test
    void parallelSuiteSeesOnlyItsOwnDataAndLeavesNothing(@TempDir Path work) throws Exception {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "the stress test starts its own containers and "
                + "needs Docker; without it, the isolation tests of fixtures-kafka and fixtures-postgres cover the "
                + "embedded engines");
        try (SingletonContainers servers = SingletonContainers.start()) {
            Map<String, String> external = servers.properties();

            SuiteRun.Result result = SuiteRun.run(Way.CLEANROOM, CLASSES, TESTS_PER_CLASS, 4, work, external);

            assertThat(result.firstFailure()).as("first failure of the nested suite").isEmpty();
            assertThat(result.failed()).isZero();
            assertThat(result.tests()).isEqualTo((long) CLASSES * TESTS_PER_CLASS);
            assertThat(result.maxInFlight()).as("tests in flight at once, at parallelism 4 (JUnit must run no more"
                    + " tests than it was told: a fixture that waits through a managed block makes it start more)")
                    .isBetween(1, 4);
            assertThat(SeenData.schemas()).as("schemas, one per test").hasSize(CLASSES * TESTS_PER_CLASS);
            assertThat(SeenData.groups()).as("consumer groups, one per test").hasSize(CLASSES * TESTS_PER_CLASS);
            assertThat(SeenData.topics()).as("topics, two per test").hasSize(2 * CLASSES * TESTS_PER_CLASS);

            String prefix = "cr" + RunId.current() + "_";
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    external.get("cleanroom.kafka.bootstrap-servers")))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .as("topics of the run left").filteredOn(n -> n.startsWith(prefix)).isEmpty();
                assertThat(admin.listGroups().all().get(30, TimeUnit.SECONDS)).extracting(GroupListing::groupId)
                        .as("consumer groups of the run left").filteredOn(n -> n.startsWith(prefix)).isEmpty();
            }
            try (Connection c = DriverManager.getConnection(external.get("cleanroom.postgres.url"),
                    external.get("cleanroom.postgres.user"), external.get("cleanroom.postgres.password"))) {
                String like = prefix.replace("_", "\\_") + "%";
                assertThat(names(c, "SELECT nspname FROM pg_namespace WHERE nspname LIKE '" + like + "'"))
                        .as("schemas of the run left").isEmpty();
                assertThat(names(c, "SELECT datname FROM pg_database WHERE datname LIKE '" + like + "'"))
                        .as("databases of the run left").isEmpty();
                assertThat(names(c, "SELECT rolname FROM pg_roles WHERE rolname LIKE '" + like + "'"))
                        .as("roles of the run left").isEmpty();
            }
        }
    }

    private static List<String> names(Connection c, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
