package dev.cleanroom.spring.internal;

import dev.cleanroom.postgres.IsolatedPostgres;
import java.lang.annotation.Annotation;

/** What a context needs from Postgres: the migrations of its schemas and the isolation mode (part of the cache key). */
record PostgresNeeds(String migrations, IsolatedPostgres.Mode mode) {

    static PostgresNeeds of(Annotation annotation) {
        IsolatedPostgres postgres = (IsolatedPostgres) annotation;
        return new PostgresNeeds(postgres.migrations(), postgres.mode());
    }
}
