package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@code @IsolatedPostgres} on an outer class gives the tests of its {@code @Nested} classes their own schema. */
@ExtendWith(CleanroomExtension.class)
@UsesSharedServer(PostgresServerProvider.class) // this run holds the server, so the nested run shares it
class NestedClassesTest {

    static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

    @IsolatedPostgres(migrations = "db/migration")
    static class OuterDeclares {
        @Test
        void outer(PostgresHandle postgres) {
            SCHEMAS.add("outer " + postgres.schema());
        }

        @Nested
        class Inner {
            @Test
            void inner(PostgresHandle postgres, DataSource dataSource) throws Exception {
                postgres.update("INSERT INTO orders (id, item) VALUES (1, 'inner')");
                try (var connection = dataSource.getConnection();
                     var rows = connection.createStatement().executeQuery("SELECT count(*) FROM orders")) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(1); // its own schema: only its row
                }
                SCHEMAS.add("inner " + postgres.schema());
            }

            @Nested
            class Deeper {
                @Test
                void deeper(PostgresHandle postgres) {
                    assertThat(postgres.queryForObject("SELECT count(*) FROM orders", Long.class)).isZero();
                    SCHEMAS.add("deeper " + postgres.schema());
                }
            }
        }
    }

    @Test
    void theOuterClassesDeclarationAppliesInsideAndEveryTestHasItsOwnSchema() {
        SCHEMAS.clear();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(OuterDeclares.class))
                .configurationParameter("junit.jupiter.extensions.store.close.autocloseable.enabled", "false").execute();

        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
        assertThat(SCHEMAS).hasSize(3);
        assertThat(SCHEMAS.stream().map(s -> s.substring(s.indexOf(' ') + 1)).distinct()).hasSize(3);
    }
}
