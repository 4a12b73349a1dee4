package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.ConfigurationException;
import dev.cleanroom.core.Engine;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import dev.cleanroom.testkit.EngineKit;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Messages that name the setting or the annotation to fix. */
@ExtendWith(ServerAdmin.SharedServer.class)
class MessagesTest {

    @dev.cleanroom.core.Cleanroom
    static class HandleWithoutAnnotation {
        @Test
        @IsolatedPostgres
        void annotated(PostgresHandle postgres) {}

        @Test
        void notAnnotated(PostgresHandle postgres) {}
    }

    @Test
    void aPostgresHandleParameterWithoutTheAnnotationSaysWhatToAdd() {
        assertThat(EngineKit.failureMessages(EngineKit.run(HandleWithoutAnnotation.class, Map.of())))
                .singleElement().satisfies(m -> assertThat(m)
                        .startsWith("ParameterResolutionException: A PostgresHandle parameter needs @IsolatedPostgres"
                                + " on the test method or its class")
                        .contains("notAnnotated")
                        .contains("Add @IsolatedPostgres (from dev.cleanroom:fixtures-postgres)"));
    }

    @Test
    void aWrongPasswordForAnExternalServerNamesTheSetting(PostgresServer shared) {
        Assumptions.assumeTrue(shared.engine() == Engine.TESTCONTAINERS, "the embedded server trusts every login");
        Map<String, String> system = new TreeMap<>();
        System.getProperties().forEach((k, v) -> system.put(String.valueOf(k), String.valueOf(v)));
        system.put("cleanroom.postgres.url", shared.endpoint().jdbcUrl());
        system.put("cleanroom.postgres.user", shared.endpoint().user());
        system.put("cleanroom.postgres.password", "not-the-password");
        Configuration configuration = Configuration.of(system, System.getenv(), Map.of());
        assertThatThrownBy(() -> new PostgresServerProvider().start(Engine.EXTERNAL, configuration))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("refused the login of user '" + shared.endpoint().user() + "'")
                .hasMessageContaining("Check cleanroom.postgres.password (from system property cleanroom.postgres.password)");
    }
}
