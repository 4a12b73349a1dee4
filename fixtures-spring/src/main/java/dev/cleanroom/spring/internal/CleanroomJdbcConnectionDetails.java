package dev.cleanroom.spring.internal;

import dev.cleanroom.postgres.PostgresHandle;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/** Spring Boot's view of the context's own schema on the shared server (what {@code @ServiceConnection} would give). */
record CleanroomJdbcConnectionDetails(PostgresHandle contextSchema) implements JdbcConnectionDetails {

    @Override
    public String getUsername() {
        return contextSchema.user();
    }

    @Override
    public String getPassword() {
        return contextSchema.password();
    }

    @Override
    public String getJdbcUrl() {
        return contextSchema.jdbcUrl();
    }
}
