package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.PostgresHandle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * One test's schema (or database) and its role, with the test's connections made ahead
 * ({@link RoleConnections}).
 * {@link #release()} hands pool, schema and role to the server's dropper, which resets the
 * schema for the next test (see {@link SchemaRecycler}) or drops it. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class IsolatedDatabase implements PostgresHandle {

    private final PostgresServer server;
    private final Mode mode;
    private final String name;
    private final String role;
    private final String password;
    private final int poolSize;
    private final boolean reused;
    private final IsolationPool origin; // schema mode with reuse: where the schema goes back; else null
    private final boolean namesItself;
    private final String stamp;
    private final boolean ddl;
    private RoleConnections pool; // guarded by this
    private DataSource handedOut; // guarded by this: pool, or where the test may not run DDL its explaining wrapper
    private boolean released; // guarded by this

    IsolatedDatabase(PostgresServer server, Mode mode, String name, String role, String password, int poolSize,
                     RoleConnections preparedPool, boolean reused, IsolationPool origin, boolean namesItself,
                     String stamp, boolean ddl) {
        this.stamp = stamp;
        this.ddl = ddl;
        this.pool = preparedPool;
        this.reused = reused;
        this.origin = origin;
        this.namesItself = namesItself;
        this.server = server;
        this.mode = mode;
        this.name = name;
        this.role = role;
        this.password = password;
        this.poolSize = poolSize;
    }

    @Override
    public String schema() {
        return mode == Mode.SCHEMA ? name : "public";
    }

    @Override
    public String database() {
        return mode == Mode.SCHEMA ? server.endpoint().database() : name;
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public String jdbcUrl() {
        return server.endpoint().jdbcUrl(database(), schema());
    }

    @Override
    public String user() {
        return role;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public synchronized DataSource dataSource() {
        if (released) {
            throw new IllegalStateException("The PostgreSQL " + (mode == Mode.SCHEMA ? "schema " : "database ") + name
                    + " was released when its test ended; a handle is valid only during its test.");
        }
        if (pool == null) {
            pool = server.connections(jdbcUrl(), role, password, poolSize, false);
        }
        if (handedOut == null) {
            handedOut = ddl ? pool : RowsOnly.explaining(pool, role, name);
        }
        return handedOut;
    }

    @Override
    public int update(String sql, Object... args) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    @Override
    public List<Map<String, Object>> queryForList(String sql, Object... args) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                }
                rows.add(Collections.unmodifiableMap(row));
            }
            return Collections.unmodifiableList(rows);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    @Override
    public <T> T queryForObject(String sql, Class<T> type, Object... args) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("Expected exactly one row from: " + sql + ", but got none");
            }
            if (rs.getMetaData().getColumnCount() != 1) {
                throw new IllegalStateException("Expected one column from: " + sql + ", but got "
                        + rs.getMetaData().getColumnCount());
            }
            T value = rs.getObject(1, type);
            if (rs.next()) {
                throw new IllegalStateException("Expected exactly one row from: " + sql + ", but got more");
            }
            return value;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    @Override
    public List<String> tableNames() {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> row : queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                + "AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history' ORDER BY table_name", schema())) {
            names.add((String) row.get("table_name"));
        }
        return names;
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", jdbcUrl());
        p.put("spring.datasource.username", role);
        p.put("spring.datasource.password", password);
        p.put("spring.flyway.schemas", schema());
        p.put("cleanroom.postgres.schema", schema());
        return Collections.unmodifiableMap(p);
    }

    /** Whether an earlier test had this schema (reset since); false for a new one. */
    public boolean reused() {
        return reused;
    }

    /** Closes the pool and, on the dropper thread, resets the schema for the next test or drops schema (or database) and role. */
    public void release() {
        RoleConnections toClose;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            toClose = pool;
        }
        server.release(mode, name, name, toClose, origin, namesItself, stamp); // the owner is named after the schema
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private IllegalStateException failed(String sql, SQLException e) {
        IllegalStateException gone = server.ifGone(e, "running SQL in " + (mode == Mode.SCHEMA ? "schema " : "database ")
                + name + ": " + sql);
        if (gone != null) {
            return gone;
        }
        return new IllegalStateException("SQL failed in " + (mode == Mode.SCHEMA ? "schema " : "database ") + name + ": "
                + sql + "\nServer said: " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "PostgresHandle[" + (mode == Mode.SCHEMA ? "schema " : "database ") + name + ", role " + role + "]";
    }
}
