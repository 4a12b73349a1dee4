package dev.cleanroom.postgres;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.postgres.internal.IsolatedPostgresExtension;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives every test its own schema (or database) on a PostgreSQL server that the whole
 * suite shares, migrated from {@link #migrations()}, with a connection pool that sees that
 * schema only. On a class, every test method gets its own; on a method, that method does.
 * Usable as a meta-annotation.
 *
 * <pre>{@code
 * @IsolatedPostgres(migrations = "db/migration")
 * class OrdersRepositoryTest {
 *     @Test
 *     void storesOrder(PostgresHandle postgres) {
 *         postgres.update("insert into orders(id) values (?)", 1);
 *         assertThat(postgres.queryForObject("select count(*) from orders", Long.class)).isEqualTo(1);
 *     }
 * }
 * }</pre>
 *
 * <p>Test methods (and {@code @BeforeEach}/{@code @AfterEach} methods) may declare a
 * {@link PostgresHandle} or a {@link javax.sql.DataSource} parameter. The handle is also
 * published with {@code Fixtures.provide(context, PostgresHandle.class, handle)} for
 * isolated-service factories.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(CleanroomExtension.class)
@ExtendWith(IsolatedPostgresExtension.class)
@UsesSharedServer(PostgresServerProvider.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface IsolatedPostgres {

    /** The default migration location; a missing default location means "no migrations". */
    String DEFAULT_MIGRATIONS = "db/migration";

    /**
     * Class-path location of versioned SQL scripts ({@code V1__init.sql}, {@code V2__orders.sql}, ...),
     * applied in version order to every test's schema. Set it to {@code ""} for an empty schema.
     * A location other than the default must exist.
     */
    String migrations() default DEFAULT_MIGRATIONS;

    /** Schema per test (the default, fastest) or database per test. */
    Mode mode() default Mode.SCHEMA;

    /**
     * Whether the test may change its schema's shape (DDL: {@code CREATE}, {@code ALTER},
     * {@code DROP}, {@code COMMENT}, {@code REFRESH MATERIALIZED VIEW}), as a test needs whose
     * application runs Flyway itself or creates tables.
     *
     * <p>{@code false} (the default): the schema and its objects are owned by a role of
     * Cleanroom's, and the test's role ({@link PostgresHandle#user()}) may read and write
     * their rows only ({@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE},
     * {@code TRUNCATE}, sequences); a DDL statement fails with SQLState 42501 and a message
     * that names this switch. A reused schema is then reset by DML alone. {@code true}: the
     * test's role owns the schema, as the migration left it; a reused schema's catalogs are
     * checked at every reset and one the test changed is dropped. The setting
     * {@code cleanroom.postgres.ddl=true} turns this on for every test. Database mode always
     * allows DDL (the test's role owns its database).
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    boolean ddl() default false;

    /** How a test is isolated. */
    @API(status = EXPERIMENTAL, since = "0.1")
    enum Mode {
        /** A schema of its own, owned by a role of its own, on the shared database. */
        SCHEMA,
        /**
         * A database of its own, cloned with {@code CREATE DATABASE ... TEMPLATE} from a
         * migrated template, for code that needs a whole database (extensions, {@code public}).
         */
        DATABASE
    }
}
