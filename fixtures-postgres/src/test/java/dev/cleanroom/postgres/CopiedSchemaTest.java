package dev.cleanroom.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.internal.IsolatedDatabase;
import dev.cleanroom.postgres.internal.MigrationSet;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Migrate once, then copy: every schema a test gets, the first (migrated) and the later
 * ones (copies of it), is indistinguishable in the catalogs from a schema migrated on its
 * own by Flyway or the built-in runner: tables, columns and defaults, indexes, constraints,
 * sequences and their values, views, functions and their bodies, triggers, types, grants,
 * comments, owners, the migrations' rows and Flyway's history.
 */
@ExtendWith(CleanroomExtension.class)
@ExtendWith(ServerAdmin.SharedServer.class)
@UsesSharedServer(PostgresServerProvider.class)
class CopiedSchemaTest {

    private static final String RICH = "db/rich";

    @ParameterizedTest
    @ValueSource(strings = {"flyway", "builtin"})
    void everyHandedOutSchemaMatchesAFreshMigrationInTheCatalogs(String migrator, PostgresServer server) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Configuration config = Configuration.load(loader, key -> Optional.ofNullable(
                Map.of("cleanroom.postgres.migrator", migrator, "cleanroom.postgres.prefetch", "3").get(key)));
        try (Connection admin = ServerAdmin.admin(server)) {
            String reference = server.prefix() + "ref_" + migrator;
            String owner = reference; // the owner named after its schema, as Cleanroom names them
            List<String> expected;
            try {
                migrateOnItsOwn(admin, server, reference, owner, migrator, loader);
                expected = describe(admin, reference, owner);
            } finally {
                try (Statement st = admin.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + reference + " CASCADE; DROP OWNED BY " + owner
                            + "; DROP ROLE IF EXISTS " + owner);
                }
            }
            assertThat(expected).as("the description sees the objects").anyMatch(line -> line.contains("qualified_count"))
                    .anyMatch(line -> line.startsWith("sequence|invoice_numbers|") && line.endsWith("|5000"))
                    .anyMatch(line -> line.contains("SELECT count(*) FROM <schema>.orders"));
            // the first is migrated, the next ones are copies of it
            long copiesBefore = server.schemasCopied();
            for (int i = 0; i < 4; i++) {
                IsolatedDatabase handle = server.isolate(Mode.SCHEMA, RICH, TestIdentity.named("Copy" + migrator + i),
                        loader, config);
                try {
                    assertThat(describe(admin, handle.schema(), handle.user()))
                            .as("schema %d (%s) against a fresh migration", i, handle.schema())
                            .containsExactlyElementsOf(expected);
                    if (migrator.equals("flyway")) {
                        assertThat(flywayOf(server, handle, loader).migrate())
                                .extracting(MigrateResult::getSuccessfulMigrations).asList()
                                .as("an application's own Flyway finds schema %d up to date", i).isEmpty();
                        flywayOf(server, handle, loader).validate();
                    }
                } finally {
                    handle.release();
                }
            }
            assertThat(server.schemasCopied() - copiesBefore).as("schemas copied, not migrated").isGreaterThanOrEqualTo(3);
        }
    }

    static Flyway flywayOf(PostgresServer server, IsolatedDatabase handle, ClassLoader loader) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(handle.jdbcUrl());
        ds.setUser(handle.user());
        ds.setPassword(handle.password());
        return Flyway.configure(loader).dataSource(ds).locations("classpath:" + RICH).schemas(handle.schema())
                .defaultSchema(handle.schema()).createSchemas(false).load();
    }

    /** What a team would do by hand: a role and a schema of its own, migrated by Flyway or the built-in runner. */
    static void migrateOnItsOwn(Connection admin, PostgresServer server, String name, String owner,
                                        String migrator, ClassLoader loader) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("CREATE ROLE " + owner + " LOGIN PASSWORD 'reference'; CREATE SCHEMA " + name + " AUTHORIZATION "
                    + owner + "; ALTER ROLE " + owner + " SET search_path TO " + name);
        }
        if (migrator.equals("flyway")) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(server.endpoint().jdbcUrl(server.endpoint().database(), name));
            ds.setUser(owner);
            ds.setPassword("reference");
            Flyway.configure(loader).dataSource(ds).locations("classpath:" + RICH).schemas(name).defaultSchema(name)
                    .createSchemas(false).load().migrate();
        } else {
            MigrationSet.load(RICH, loader).applyBuiltin(admin, name, "SET LOCAL ROLE " + owner + "; SET LOCAL search_path TO "
                    + name);
        }
    }

    /** The schema as the catalogs show it, one line per fact, its own name and its role's as placeholders. */
    static List<String> describe(Connection admin, String schema, String role) throws SQLException {
        List<String> lines = new ArrayList<>();
        String[] queries = {
            "SELECT 'schema', pg_get_userbyid(nspowner), nspacl::text, obj_description(oid, 'pg_namespace') "
                    + "FROM pg_namespace WHERE nspname = ?",
            "SELECT 'relation', c.relname, c.relkind, pg_get_userbyid(c.relowner), c.relacl::text, c.relpersistence, "
                    + "obj_description(c.oid, 'pg_class') FROM pg_class c WHERE c.relnamespace = ?::regnamespace",
            "SELECT 'column', table_name, column_name, ordinal_position, data_type, udt_name, domain_name, column_default, "
                    + "is_nullable, is_identity, identity_generation, numeric_precision, numeric_scale "
                    + "FROM information_schema.columns WHERE table_schema = ?",
            "SELECT 'column comment', c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_attribute a "
                    + "JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = ?::regnamespace AND a.attnum > 0 "
                    + "AND col_description(c.oid, a.attnum) IS NOT NULL",
            "SELECT 'constraint', cl.relname, t.typname, con.conname, con.contype, pg_get_constraintdef(con.oid) "
                    + "FROM pg_constraint con LEFT JOIN pg_class cl ON cl.oid = con.conrelid "
                    + "LEFT JOIN pg_type t ON t.oid = con.contypid WHERE con.connamespace = ?::regnamespace",
            "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = ?",
            "SELECT 'sequence', sequencename, sequenceowner, data_type, start_value, min_value, max_value, increment_by, "
                    + "cycle, cache_size, last_value FROM pg_sequences WHERE schemaname = ?",
            "SELECT 'view', viewname, viewowner, definition FROM pg_views WHERE schemaname = ?",
            "SELECT 'materialized view', matviewname, matviewowner, ispopulated, definition FROM pg_matviews "
                    + "WHERE schemaname = ?",
            "SELECT 'function', p.proname, pg_get_function_identity_arguments(p.oid), pg_get_userbyid(p.proowner), "
                    + "p.proacl::text, obj_description(p.oid, 'pg_proc'), pg_get_functiondef(p.oid) FROM pg_proc p "
                    + "WHERE p.pronamespace = ?::regnamespace",
            "SELECT 'trigger', c.relname, t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                    + "JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = ?::regnamespace AND NOT t.tgisinternal",
            "SELECT 'type', t.typname, t.typtype, pg_get_userbyid(t.typowner), t.typacl::text, "
                    + "obj_description(t.oid, 'pg_type'), format_type(t.typbasetype, t.typtypmod), t.typnotnull, "
                    + "(SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) "
                    + "FROM pg_type t WHERE t.typnamespace = ?::regnamespace",
            "SELECT 'default privileges', defaclobjtype, defaclacl::text FROM pg_default_acl "
                    + "WHERE defaclnamespace = ?::regnamespace",
        };
        for (String query : queries) {
            lines.addAll(rows(admin, query, schema));
        }
        lines.addAll(rows(admin, "SELECT 'role setting', unnest(rolconfig) FROM pg_roles WHERE rolname = ?", role));
        for (String table : tablesWithData(admin, schema)) {
            lines.addAll(rows(admin, "SELECT 'row', '" + table + "', " + stableColumns(admin, schema, table) + " FROM "
                    + schema + "." + table + " WHERE ? IS NOT NULL", schema));
        }
        List<String> normalized = new ArrayList<>();
        for (String line : lines) {
            // the longer name first: both start with the run's prefix
            String a = schema.length() >= role.length() ? schema : role;
            String b = a.equals(schema) ? role : schema;
            normalized.add(line.replace(a, a.equals(schema) ? "<schema>" : "<role>")
                    .replace(b, b.equals(schema) ? "<schema>" : "<role>"));
        }
        normalized.sort(null);
        return normalized;
    }

    private static List<String> tablesWithData(Connection admin, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        for (String line : rows(admin, "SELECT relname FROM pg_class WHERE relnamespace = ?::regnamespace "
                + "AND relkind IN ('r', 'm')", schema)) {
            tables.add(line);
        }
        return tables;
    }

    /** The columns whose values a fresh migration repeats: all but the times of day it ran at. */
    private static String stableColumns(Connection admin, String schema, String table) throws SQLException {
        List<String> columns = rows(admin, "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                + "WHERE c.relnamespace = ?::regnamespace AND c.relname = '" + table + "' AND a.attnum > 0 "
                + "AND NOT a.attisdropped AND format_type(a.atttypid, NULL) NOT LIKE 'timestamp%' "
                + "AND a.attname NOT IN ('execution_time') ORDER BY a.attnum", schema);
        return String.join(", ", columns.stream().map(c -> "\"" + c + "\"").toList());
    }

    private static List<String> rows(Connection admin, String query, String parameter) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement(query)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        line.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    rows.add(line.toString());
                }
            }
        }
        return rows;
    }
}
