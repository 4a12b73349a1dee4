package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What the first migration of a set did, as one SQL text that makes the same schema again
 * in one round trip: the scripts' statements in version order and, after a Flyway
 * migration, Flyway's history table with the same rows (so an application that runs
 * Flyway itself finds the schema up to date). Run as the new schema's role with the search
 * path on the new schema, so every object is owned by that role, and every reference the
 * scripts make through the search path ({@code nextval('seq')} defaults, foreign keys,
 * {@code current_schema()} in a {@code DO} block) points at the new schema, exactly as in
 * a fresh migration. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
final class MigrationReplay {

    static final String FLYWAY_TABLE = "flyway_schema_history";

    private final String sql;

    private MigrationReplay(String sql) {
        this.sql = sql;
    }

    /**
     * The replay of {@code migrations} as applied to {@code schema}; empty when a replay
     * could differ from a migration: scripts with Flyway placeholders ({@code ${...}}),
     * which Flyway fills in per schema.
     */
    static Optional<MigrationReplay> capture(Connection admin, MigrationSet migrations, String schema, boolean flyway)
            throws SQLException {
        StringBuilder sql = new StringBuilder();
        if (flyway) {
            for (MigrationSet.Script script : migrations.scripts()) {
                if (script.text().contains("${")) {
                    return Optional.empty();
                }
            }
            flywayHistory(admin, schema, sql);
        }
        for (MigrationSet.Script script : migrations.scripts()) {
            // a newline first ends a trailing line comment; the semicolon ends a last statement without one
            sql.append(script.text()).append("\n;\n");
        }
        return Optional.of(new MigrationReplay(sql.toString()));
    }

    /** Flyway's history table as Flyway makes it (PostgreSQL), with the rows of the first migration. */
    private static void flywayHistory(Connection admin, String schema, StringBuilder sql) throws SQLException {
        String table = Sql.id(FLYWAY_TABLE);
        sql.append("CREATE TABLE ").append(table).append(" (installed_rank INT NOT NULL, version VARCHAR(50), "
                + "description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, "
                + "checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), "
                + "execution_time INT NOT NULL, success BOOLEAN NOT NULL);\n");
        sql.append("ALTER TABLE ").append(table).append(" ADD CONSTRAINT ").append(Sql.id(FLYWAY_TABLE + "_pk"))
                .append(" PRIMARY KEY (installed_rank);\n");
        sql.append("CREATE INDEX ").append(Sql.id(FLYWAY_TABLE + "_s_idx")).append(" ON ").append(table)
                .append(" (success);\n");
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT installed_rank, version, description, type, script, checksum, "
                     + "installed_on::text, execution_time, success FROM " + Sql.id(schema) + "." + table
                     + " ORDER BY installed_rank")) {
            while (rs.next()) {
                sql.append("INSERT INTO ").append(table).append(" VALUES (").append(rs.getInt(1)).append(", ")
                        .append(literal(rs.getString(2))).append(", ").append(literal(rs.getString(3))).append(", ")
                        .append(literal(rs.getString(4))).append(", ").append(literal(rs.getString(5))).append(", ")
                        .append(rs.getObject(6) == null ? "NULL" : String.valueOf(rs.getInt(6)))
                        .append(", current_user, ").append(literal(rs.getString(7))).append(", ").append(rs.getInt(8))
                        .append(", ").append(rs.getBoolean(9)).append(");\n");
            }
        }
    }

    /**
     * Whether a function body of {@code schema} names the schema itself (a migration that
     * wrote {@code current_schema()} into it): such bodies must follow a rename, see
     * {@link #renameSchema}.
     */
    static boolean namesItself(Connection admin, String schema) throws SQLException {
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = "
                     + Sql.literal(schema) + "::regnamespace AND strpos(prosrc, " + Sql.literal(schema) + ") > 0)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Renames a schema, and with {@code namesItself} rewrites the function bodies that name
     * it (views, defaults and constraints refer to objects, not names, and follow by
     * themselves). One transaction, one round trip; run by the admin.
     */
    static String renameSchema(String from, String to, String role, boolean namesItself) {
        StringBuilder sql = new StringBuilder("BEGIN; SET LOCAL synchronous_commit = off; ALTER SCHEMA ")
                .append(Sql.id(from)).append(" RENAME TO ").append(Sql.id(to)).append("; ALTER ROLE ").append(Sql.id(role))
                .append(" SET search_path TO ").append(Sql.id(to)).append(";");
        if (namesItself) {
            // CREATE OR REPLACE keeps owner, grants and comments; \m...\M: whole names only
            sql.append(" DO $cleanroom$ DECLARE f oid; BEGIN FOR f IN SELECT oid FROM pg_proc WHERE pronamespace = ")
                    .append(Sql.literal(to)).append("::regnamespace AND strpos(prosrc, ").append(Sql.literal(from))
                    .append(") > 0 LOOP EXECUTE regexp_replace(pg_get_functiondef(f), ")
                    .append(Sql.literal("\\m" + from + "\\M")).append(", ").append(Sql.literal(to))
                    .append(", 'g'); END LOOP; END $cleanroom$;");
        }
        return sql.append(" COMMIT").toString();
    }

    private static String literal(String value) {
        return value == null ? "NULL" : Sql.literal(value);
    }

    /**
     * The statements that make a schema {@code name} owned by the new role {@code name},
     * with the replay in it, in one transaction (one round trip).
     */
    String intoNewSchema(String name, String password) {
        String id = Sql.id(name);
        return "BEGIN; CREATE ROLE " + id + " LOGIN " + RolePassword.clause(password) + "; CREATE SCHEMA " + id
                + " AUTHORIZATION " + id + "; ALTER ROLE " + id + " SET search_path TO " + id + "; SET LOCAL ROLE " + id
                + "; SET LOCAL search_path TO " + id + ";\n" + sql + "COMMIT";
    }
}
