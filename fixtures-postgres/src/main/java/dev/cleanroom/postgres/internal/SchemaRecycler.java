package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Resets a schema that a test released so that the next test can have it, instead of
 * copying a new one (a copy of a 10-table migration costs hundreds of milliseconds of
 * server CPU, a reset a few milliseconds).
 *
 * <p>Captured once from the first migrated schema of a set (the template), before any test
 * had it: where tests may run DDL, the catalog fingerprint (tables, columns, defaults, indexes, constraints,
 * sequences' definitions, views, functions, triggers, types, rules, policies, grants,
 * comments, owners, default privileges, the role's settings, memberships and owned
 * objects, names replaced by a placeholder) and one reset script (empty every table,
 * insert the template's rows again, set every sequence to the template's value, refresh
 * materialized views).
 *
 * <p>{@link #recycle} fences the released schema first (a new password, committed before
 * every backend of the role is terminated and awaited, so that no pool or connection the
 * test leaked can write into the next test's data), then compares the fingerprint and
 * resets the data in one transaction. Anything unexpected (DDL, a surviving backend, a
 * prepared transaction, an object the role owns elsewhere, a failed statement) makes it
 * return false: the caller drops the schema and the pool copies a fresh one.
 *
 * <p>Where the tests could not run DDL ({@link IsolationPool#rowsOnly}) none of the catalog
 * work is done: no fingerprint is taken, no stamp compared, no materialized view refreshed;
 * the fence and the rows' reset are all, with one look-up of what the test's role has
 * besides its grants. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
final class SchemaRecycler {

    /** Stands for the schema's (and its role's) name in the fingerprint and the reset script. */
    private static final String NAME = "\u0000cleanroom-schema\u0000";
    private static final long TERMINATE_WAIT_MILLIS = 5_000;
    private static final System.Logger LOG = System.getLogger(SchemaRecycler.class.getName());

    private final List<String> fingerprint;
    private final String reset;
    private final int serverVersion;
    private final boolean changesCatalogs; // the reset refreshes materialized views
    private final boolean ddl; // the tests' roles own their schemas; else they only read and write rows
    private final AtomicLong scans; // catalog scans (stamps and fingerprints) made for the pool

    private SchemaRecycler(List<String> fingerprint, String reset, int serverVersion, boolean ddl, AtomicLong scans) {
        this.scans = scans;
        this.changesCatalogs = reset.contains("REFRESH MATERIALIZED VIEW");
        this.ddl = ddl;
        this.fingerprint = fingerprint;
        this.reset = reset;
        this.serverVersion = serverVersion;
    }

    /**
     * The recycler of schemas like {@code template} (whose role has the same name), or why
     * there is none: a non-superuser admin cannot switch triggers off for the reset, so a
     * schema with triggers is not reused there. Without {@code ddl} the tests' roles cannot
     * change a schema's shape (see {@link IsolationPool#rowsOnly}), nor refresh its
     * materialized views: no fingerprint is taken and the reset refreshes none.
     */
    static Optional<SchemaRecycler> capture(Connection admin, String template, int serverVersion, boolean ddl,
                                            AtomicLong scans) throws SQLException {
        boolean superuser = single(admin, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user").equals("true");
        if (!superuser && !single(admin, "SELECT count(*)::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                + "WHERE c.relnamespace = " + Sql.literal(template) + "::regnamespace AND NOT t.tgisinternal").equals("0")) {
            return Optional.empty();
        }
        List<String> fingerprint = ddl ? fingerprint(admin, template, scans) : List.of();
        String id = Sql.id(template);
        StringBuilder sql = new StringBuilder("BEGIN; SET LOCAL synchronous_commit = off; ");
        if (superuser) {
            sql.append("SET LOCAL session_replication_role = replica; "); // no user triggers, no foreign key checks
        }
        sql.append("SET LOCAL ROLE ").append(id).append("; SET LOCAL search_path TO ").append(id).append(";\n");
        List<String> tables = column(admin, "SELECT quote_ident(relname) FROM pg_class WHERE relnamespace = "
                + Sql.literal(template) + "::regnamespace AND relkind = 'r' ORDER BY relname");
        if (!tables.isEmpty()) {
            // DELETE, not TRUNCATE: no new files, no catalog rows changed (so the stamp stays), and faster for the few
            // rows of a test; one statement for all tables, so foreign keys among them need no order
            List<String> deletes = new ArrayList<>();
            for (String table : tables) {
                deletes.add("d" + deletes.size() + " AS (DELETE FROM " + table + ")");
            }
            sql.append("WITH ").append(String.join(", ", deletes)).append(" SELECT 1;\n");
        }
        List<String> inserts = new ArrayList<>();
        for (String table : column(admin, "SELECT quote_ident(relname) FROM pg_class WHERE relnamespace = "
                + Sql.literal(template) + "::regnamespace AND relkind = 'r' ORDER BY relname")) {
            String rows = single(admin, "SELECT coalesce(json_agg(t)::text, '') FROM " + id + "." + table + " t");
            if (rows.isEmpty()) {
                continue;
            }
            String columns = String.join(", ", column(admin, "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = "
                    + Sql.literal(template + "." + table) + "::regclass AND attnum > 0 AND NOT attisdropped "
                    + "AND attgenerated = '' ORDER BY attnum"));
            inserts.add("i" + inserts.size() + " AS (INSERT INTO " + table + " (" + columns + ") OVERRIDING SYSTEM VALUE SELECT "
                    + columns + " FROM json_populate_recordset(NULL::" + table + ", " + Sql.literal(rows) + "))");
        }
        if (!inserts.isEmpty()) {
            // one statement: foreign keys are checked at its end, whatever the order
            sql.append("WITH ").append(String.join(",\n", inserts)).append(" SELECT 1;\n");
        }
        List<String> sequences = column(admin, "SELECT format('setval(%L::regclass, %s, %s)', quote_ident(sequencename), "
                + "coalesce(last_value, start_value), CASE WHEN last_value IS NULL THEN 'false' ELSE 'true' END) FROM pg_sequences WHERE schemaname = "
                + Sql.literal(template) + " ORDER BY sequencename");
        if (!sequences.isEmpty()) {
            sql.append("SELECT ").append(String.join(", ", sequences)).append(";\n");
        }
        for (String view : !ddl ? List.<String>of() : column(admin, "SELECT format('REFRESH MATERIALIZED VIEW %I%s', "
                + "relname, CASE WHEN relispopulated THEN '' ELSE ' WITH NO DATA' END) FROM pg_class WHERE relnamespace = "
                + Sql.literal(template) + "::regnamespace AND relkind = 'm' ORDER BY oid")) {
            sql.append(view).append(";\n");
        }
        sql.append("COMMIT");
        return Optional.of(new SchemaRecycler(fingerprint, placeholder(sql.toString(), template), serverVersion, ddl, scans));
    }

    /**
     * Fences, checks and resets the schema {@code current} of role {@code role}, which a test
     * used: role and schema are both named {@code fresh} afterwards, and the role has
     * {@code newPassword} (without DDL: the test's role {@link IsolationPool#userOf} of both
     * names has it, and the owner cannot log in). Returns the schema's new stamp (empty without
     * DDL: none is kept) if it is now as the template was; empty means the caller must drop it
     * (under either name).
     */
    Optional<String> recycle(Connection admin, String current, String role, String fresh, boolean namesItself,
                             String newPassword, String stamp) throws SQLException {
        try (Statement st = admin.createStatement()) {
            try {
                if (!ddl) {
                    return fenceAndReset(st, current, role, fresh, namesItself, newPassword) ? Optional.of("")
                            : Optional.empty();
                }
                Boolean unchanged = fenceCheckAndReset(admin, st, current, role, fresh, namesItself, newPassword, stamp);
                if (unchanged == null) {
                    return Optional.empty();
                }
                return Optional.of(unchanged && !changesCatalogs ? stamp : stamp(admin, fresh, scans));
            } catch (SQLException e) {
                try {
                    st.execute("ROLLBACK"); // the admin connection goes back to its pool clean
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    /**
     * The reset of a schema whose test could not change its shape: fence (the test's role
     * renamed with the schema, a new password, its settings reset, its sessions ended), then
     * the rows reset, with no catalog scan. False: not reusable (a session that stayed, or
     * something the role has outside the schema's rows: an object it owns, a grant it was
     * given elsewhere, a membership, a prepared transaction).
     */
    private boolean fenceAndReset(Statement st, String current, String owner, String schema, boolean namesItself,
                                  String newPassword) throws SQLException {
        String user = Sql.id(IsolationPool.userOf(schema));
        String userName = Sql.literal(IsolationPool.userOf(schema));
        st.execute("BEGIN; ALTER ROLE " + Sql.id(IsolationPool.userOf(owner)) + " RENAME TO " + user + "; ALTER ROLE "
                + user + " " + RolePassword.clause(newPassword) + "; ALTER ROLE " + user + " RESET ALL; ALTER ROLE " + user
                + " SET search_path TO " + Sql.id(schema) + "; ALTER ROLE " + Sql.id(owner) + " RENAME TO " + Sql.id(schema)
                + "; COMMIT; " + MigrationReplay.renameSchema(current, schema, schema, namesItself));
        if (!terminate(st, userName)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "[cleanroom] schema " + current + ": a session of role " + user
                    + " did not end within " + TERMINATE_WAIT_MILLIS + " ms; dropped, not reused");
            return false;
        }
        st.execute(reset.replace(NAME, schema));
        String u = "(SELECT oid FROM pg_roles WHERE rolname = " + userName + ")";
        String n = "(SELECT oid FROM pg_namespace WHERE nspname = " + Sql.literal(schema) + ")";
        // a session that logged in with the old password a moment before it changed and showed up only now, and what
        // the role has besides its grants on the schema and its tables, sequences and functions
        boolean escaped = exists(st, "SELECT 1 FROM pg_stat_activity WHERE usesysid = " + u
                + " UNION ALL SELECT 1 FROM pg_prepared_xacts WHERE owner = " + userName
                + " UNION ALL SELECT 1 FROM pg_auth_members WHERE " + u + " IN (roleid, member)"
                + " UNION ALL SELECT 1 FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = " + u
                + " AND NOT (d.deptype = 'a' AND d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND ((d.classid = 'pg_namespace'::regclass AND d.objid = " + n + ") OR (d.classid = 'pg_class'::regclass"
                + " AND d.objid IN (SELECT oid FROM pg_class WHERE relnamespace = " + n + ")) OR (d.classid = "
                + "'pg_proc'::regclass AND d.objid IN (SELECT oid FROM pg_proc WHERE pronamespace = " + n + "))))");
        if (escaped) {
            LOG.log(System.Logger.Level.DEBUG, () -> "[cleanroom] schema " + current + ": role " + user + " has a session, "
                    + "a prepared transaction, a membership, an object or a grant outside its schema's rows; dropped, not "
                    + "reused");
        }
        return !escaped;
    }

    /** Null: not reusable; else whether the catalog rows were unchanged (the stamp still holds). */
    private Boolean fenceCheckAndReset(Connection admin, Statement st, String current, String oldRole, String schema,
                                       boolean namesItself, String newPassword, String stamp) throws SQLException {
        String id = Sql.id(schema);
        String role = Sql.literal(schema);
        // the role's new name and password are committed before its sessions are ended: a pool or connection the
        // test leaked cannot log in again, not even on a server that trusts local connections without a password
        st.execute("BEGIN; ALTER ROLE " + Sql.id(oldRole) + " RENAME TO " + id + "; ALTER ROLE " + id + " "
                + RolePassword.clause(newPassword) + "; ALTER ROLE " + id + " RESET ALL; COMMIT; "
                + MigrationReplay.renameSchema(current, schema, schema, namesItself));
        if (!terminate(st, role)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "[cleanroom] schema " + current + ": a session of role " + schema
                    + " did not end within " + TERMINATE_WAIT_MILLIS + " ms; dropped, not reused");
            return null;
        }
        // no catalog row of the schema changed since it was made or last reset: as the template was then
        boolean unchanged = !namesItself && stamp != null && stamp(admin, schema, scans).equals(stamp);
        List<String> now = unchanged ? fingerprint : fingerprint(admin, schema, scans);
        if (!now.equals(fingerprint)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "[cleanroom] schema " + current + " was changed by its test; dropped, "
                    + "not reused. Differences: " + differences(now));
            return null;
        }
        st.execute(reset.replace(NAME, schema));
        // a session that logged in with the old password a moment before it changed and showed up only now
        boolean alone = !exists(st, "SELECT 1 FROM pg_stat_activity WHERE usesysid = (SELECT oid FROM pg_roles WHERE "
                + "rolname = " + role + ") UNION ALL SELECT 1 FROM pg_prepared_xacts WHERE owner = " + role);
        return alone ? unchanged : null;
    }

    /** What {@code now} has that the template has not, and the reverse. */
    private String differences(List<String> now) {
        List<String> added = new ArrayList<>(now);
        added.removeAll(fingerprint);
        List<String> missing = new ArrayList<>(fingerprint);
        missing.removeAll(now);
        return ("new " + added + ", gone " + missing).replace(NAME, "<schema>");
    }

    /** Ends every backend of the role and waits until they are gone (bounded); false if one stays. */
    private boolean terminate(Statement st, String role) throws SQLException {
        String wait = serverVersion >= 14 ? ", " + TERMINATE_WAIT_MILLIS : "";
        String query = "SELECT pg_terminate_backend(pid" + wait + ") FROM pg_stat_activity WHERE usesysid = (SELECT oid "
                + "FROM pg_roles WHERE rolname = " + role + ") AND pid <> pg_backend_pid()";
        long deadline = System.nanoTime() + TERMINATE_WAIT_MILLIS * 1_000_000;
        while (true) {
            try (ResultSet rs = st.executeQuery(query)) {
                if (!rs.next()) {
                    return true; // none (left)
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * The version stamp of a schema's catalog rows: a digest of the identity and the
     * creating transaction ({@code xmin}) of every catalog row that describes an object of
     * the schema, so any DDL (which inserts, deletes or updates such rows) changes it, while
     * renaming the schema (its own row and the role's settings are left out) does not.
     * Cheap (no deparsing): compared on every reset, where the {@link #fingerprint} is
     * computed only when the stamp changed (a test that truncated, say).
     */
    static String stamp(Connection admin, String schema, AtomicLong scans) throws SQLException {
        scans.incrementAndGet();
        long oid = namespaceOid(admin, schema);
        // a parameter, not the oid inlined: the statement is the same for every schema, so that the driver
        // prepares it on the server once per connection and the planning (about half of its cost) is not repeated
        String n = "?::oid";
        // the schema's relations, scanned out of pg_class once (a CTE used more than once is materialized)
        String classes = "(SELECT oid FROM c)";
        String[] parts = {
            "SELECT 'c' || oid || ':' || xmin FROM pg_class WHERE relnamespace = " + n,
            "SELECT 'a' || attrelid || '.' || attnum || ':' || xmin FROM pg_attribute WHERE attrelid IN " + classes,
            "SELECT 'd' || oid || ':' || xmin FROM pg_attrdef WHERE adrelid IN " + classes,
            "SELECT 'k' || oid || ':' || xmin FROM pg_constraint WHERE connamespace = " + n,
            "SELECT 'i' || indexrelid || ':' || xmin FROM pg_index WHERE indrelid IN " + classes,
            "SELECT 's' || seqrelid || ':' || xmin FROM pg_sequence WHERE seqrelid IN " + classes,
            "SELECT 't' || oid || ':' || xmin FROM pg_trigger WHERE tgrelid IN " + classes,
            "SELECT 'r' || oid || ':' || xmin FROM pg_rewrite WHERE ev_class IN " + classes,
            "SELECT 'p' || oid || ':' || xmin FROM pg_policy WHERE polrelid IN " + classes,
            "SELECT 'f' || oid || ':' || xmin FROM pg_proc WHERE pronamespace = " + n,
            "SELECT 'y' || oid || ':' || xmin FROM pg_type WHERE typnamespace = " + n,
            "SELECT 'e' || oid || ':' || xmin FROM pg_enum WHERE enumtypid IN (SELECT oid FROM pg_type "
                    + "WHERE typnamespace = " + n + ")",
            // pg_description and pg_depend by their leading index columns (classoid or classid first)
            "SELECT 'x' || objoid || '.' || objsubid || ':' || xmin FROM pg_description WHERE classoid = 'pg_class'::regclass "
                    + "AND objoid IN " + classes,
            "SELECT 'xf' || objoid || ':' || xmin FROM pg_description WHERE classoid = 'pg_proc'::regclass AND objoid IN "
                    + "(SELECT oid FROM pg_proc WHERE pronamespace = " + n + ")",
            "SELECT 'xt' || objoid || ':' || xmin FROM pg_description WHERE classoid = 'pg_type'::regclass AND objoid IN "
                    + "(SELECT oid FROM pg_type WHERE typnamespace = " + n + ")",
            "SELECT 'xk' || objoid || ':' || xmin FROM pg_description WHERE classoid = 'pg_constraint'::regclass "
                    + "AND objoid IN (SELECT oid FROM pg_constraint WHERE connamespace = " + n + ")",
            "SELECT 'xn' || objoid || ':' || xmin FROM pg_description WHERE classoid = 'pg_namespace'::regclass "
                    + "AND objoid = " + n,
            "SELECT 'o' || objid || '.' || objsubid || '.' || refclassid || '.' || refobjid || deptype::text || ':' || xmin "
                    + "FROM pg_depend WHERE classid = 'pg_class'::regclass AND objid IN " + classes,
            "SELECT 'g' || oid || ':' || xmin FROM pg_default_acl WHERE defaclnamespace = " + n,
            "SELECT 'v' || oid || ':' || xmin FROM pg_statistic_ext WHERE stxnamespace = " + n,
            "SELECT 'n' || concat_ws('|', nspowner, nspacl::text) FROM pg_namespace WHERE oid = " + n,
            "SELECT 'm' || " + otherObjects(n),
            "SELECT 'u' || concat_ws('|', (SELECT count(*) FROM pg_auth_members m WHERE r.oid IN (m.roleid, m.member)), "
                    + "(SELECT count(*) FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = r.oid), "
                    + "(SELECT count(*) FROM pg_prepared_xacts x WHERE x.owner = r.rolname)) FROM pg_roles r "
                    + "WHERE r.oid = (SELECT nspowner FROM pg_namespace WHERE oid = " + n + ")",
        };
        String query = "WITH c AS (SELECT oid FROM pg_class WHERE relnamespace = " + n + ") "
                + "SELECT md5(string_agg(line, ',' ORDER BY line)) FROM (" + String.join(" UNION ALL ", parts)
                + ") s(line)";
        try (PreparedStatement ps = admin.prepareStatement(query)) {
            int params = (int) query.chars().filter(c -> c == '?').count();
            for (int i = 1; i <= params; i++) {
                ps.setLong(i, oid);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
            }
        }
    }

    /**
     * The schema as the catalogs show it, one line per fact, sorted, the schema's name (also
     * its role's) replaced: what a test could change without touching the rows.
     */
    static List<String> fingerprint(Connection admin, String schema, AtomicLong scans) throws SQLException {
        scans.incrementAndGet();
        String n = namespace(admin, schema);
        String[] parts = {
            "SELECT concat_ws('|', 'schema', pg_get_userbyid(nspowner), nspacl::text, obj_description(oid, 'pg_namespace')) "
                    + "FROM pg_namespace WHERE oid = " + n,
            "SELECT concat_ws('|', 'relation', relname, relkind, relpersistence, pg_get_userbyid(relowner), relacl::text, "
                    + "reloptions::text, relrowsecurity, relforcerowsecurity, relreplident, relispartition, "
                    + "pg_get_partkeydef(oid), pg_get_expr(relpartbound, oid), obj_description(oid, 'pg_class'), "
                    + "CASE WHEN relkind IN ('v', 'm') THEN pg_get_viewdef(oid) END) FROM pg_class WHERE relnamespace = " + n,
            "SELECT concat_ws('|', 'column', c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), "
                    + "a.attnotnull, a.attisdropped, a.attidentity, a.attgenerated, a.attstattarget, a.attcollation, "
                    + "a.attacl::text, a.attoptions::text, a.attfdwoptions::text, col_description(c.oid, a.attnum), "
                    + "pg_get_expr(d.adbin, d.adrelid)) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                    + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                    + "WHERE c.relnamespace = " + n + " AND a.attnum > 0",
            "SELECT concat_ws('|', 'constraint', con.conname, con.contype, cl.relname, t.typname, pg_get_constraintdef(con.oid), "
                    + "con.condeferrable, con.condeferred, con.convalidated, obj_description(con.oid, 'pg_constraint')) "
                    + "FROM pg_constraint con LEFT JOIN pg_class cl ON cl.oid = con.conrelid "
                    + "LEFT JOIN pg_type t ON t.oid = con.contypid WHERE con.connamespace = " + n,
            "SELECT concat_ws('|', 'index', pg_get_indexdef(i.indexrelid), i.indisvalid, i.indisclustered, i.indisreplident) "
                    + "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = " + n,
            "SELECT concat_ws('|', 'sequence', c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmax, "
                    + "s.seqmin, s.seqcache, s.seqcycle) FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
                    + "WHERE c.relnamespace = " + n,
            "SELECT concat_ws('|', 'function', proname, prokind, pg_get_function_identity_arguments(oid), "
                    + "pg_get_userbyid(proowner), proacl::text, obj_description(oid, 'pg_proc'), "
                    + "CASE WHEN prokind <> 'a' THEN pg_get_functiondef(oid) END) FROM pg_proc WHERE pronamespace = " + n,
            "SELECT concat_ws('|', 'trigger', c.relname, t.tgname, t.tgenabled, pg_get_triggerdef(t.oid), "
                    + "obj_description(t.oid, 'pg_trigger')) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    + "WHERE c.relnamespace = " + n + " AND NOT t.tgisinternal",
            "SELECT concat_ws('|', 'rule', c.relname, r.rulename, r.ev_enabled, pg_get_ruledef(r.oid)) FROM pg_rewrite r "
                    + "JOIN pg_class c ON c.oid = r.ev_class WHERE c.relnamespace = " + n,
            "SELECT concat_ws('|', 'policy', c.relname, p.polname, p.polcmd, p.polpermissive, p.polroles::text, "
                    + "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)) FROM pg_policy p "
                    + "JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = " + n,
            "SELECT concat_ws('|', 'type', t.typname, t.typtype, pg_get_userbyid(t.typowner), t.typacl::text, "
                    + "obj_description(t.oid, 'pg_type'), format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, "
                    + "(SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)) "
                    + "FROM pg_type t WHERE t.typnamespace = " + n,
            "SELECT concat_ws('|', 'default privileges', pg_get_userbyid(defaclrole), defaclobjtype, defaclacl::text) "
                    + "FROM pg_default_acl WHERE defaclnamespace = " + n,
            "SELECT concat_ws('|', 'statistics', stxname) FROM pg_statistic_ext WHERE stxnamespace = " + n,
            "SELECT 'other objects|' || " + otherObjects(n),
            // what the role has outside the schema: settings, memberships, objects it owns or was granted (any
            // database: large objects, objects in other schemas), prepared transactions
            "SELECT concat_ws('|', 'role', r.rolconfig::text, "
                    + "(SELECT count(*) FROM pg_auth_members m WHERE r.oid IN (m.roleid, m.member)), "
                    + "(SELECT count(*) FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = r.oid), "
                    + "(SELECT count(*) FROM pg_prepared_xacts x WHERE x.owner = r.rolname)) "
                    + "FROM pg_roles r WHERE r.oid = (SELECT nspowner FROM pg_namespace WHERE oid = " + n + ")",
        };
        List<String> lines = new ArrayList<>();
        for (String line : column(admin, "SELECT line FROM (" + String.join(" UNION ALL ", parts) + ") f(line)")) {
            lines.add(placeholder(line, schema));
        }
        lines.sort(null);
        return List.copyOf(lines);
    }

    /** Counts of the objects of other kinds in namespace {@code n}, '|'-separated (an SQL expression). */
    private static String otherObjects(String n) {
        StringBuilder sql = new StringBuilder("concat_ws('|'");
        for (String[] kind : new String[][] {{"pg_collation", "collnamespace"}, {"pg_operator", "oprnamespace"},
                {"pg_opfamily", "opfnamespace"}, {"pg_conversion", "connamespace"}, {"pg_ts_config", "cfgnamespace"},
                {"pg_ts_dict", "dictnamespace"}, {"pg_extension", "extnamespace"}}) {
            sql.append(", (SELECT count(*) FROM ").append(kind[0]).append(" WHERE ").append(kind[1]).append(" = ").append(n)
                    .append(')');
        }
        return sql.append(')').toString();
    }

    /**
     * The schema's object id as an oid literal: inlined, so that the planner compares with a
     * constant (a {@code ::regnamespace} cast is evaluated again for every catalog row scanned).
     */
    private static String namespace(Connection admin, String schema) throws SQLException {
        return namespaceOid(admin, schema) + "::oid";
    }

    private static long namespaceOid(Connection admin, String schema) throws SQLException {
        String oid = single(admin, "SELECT oid FROM pg_namespace WHERE nspname = " + Sql.literal(schema));
        if (oid.isEmpty()) {
            throw new SQLException("schema " + schema + " does not exist");
        }
        return Long.parseLong(oid);
    }

    /** {@code text} with every whole-word occurrence of {@code name} replaced by the placeholder. */
    private static String placeholder(String text, String name) {
        return Pattern.compile("(?<![A-Za-z0-9_$])" + Pattern.quote(name) + "(?![A-Za-z0-9_$])").matcher(text)
                .replaceAll(Matcher.quoteReplacement(NAME));
    }

    private static String single(Connection admin, String query) throws SQLException {
        List<String> values = column(admin, query);
        return values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    }

    private static List<String> column(Connection admin, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static boolean exists(Statement st, String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            return rs.next();
        }
    }
}
