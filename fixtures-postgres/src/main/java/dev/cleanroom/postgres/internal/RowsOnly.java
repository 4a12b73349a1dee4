package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * The handle's {@link DataSource} where the test may not change its schema's shape: the
 * same connections, whose statements refused for want of a privilege (SQLState 42501:
 * {@code permission denied}, {@code must be owner}) fail with the server's message followed
 * by how to allow DDL, because the server's message alone does not say that Cleanroom made
 * the role that way. Everything else is passed through unchanged. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
final class RowsOnly {

    static final String INSUFFICIENT_PRIVILEGE = "42501";

    private RowsOnly() {}

    /** {@code pool}'s connections, explaining refusals for role {@code role} of schema {@code schema}. */
    static DataSource explaining(DataSource pool, String role, String schema) {
        return new Explaining(pool, hint(role, schema));
    }

    /** What is added to the server's message. */
    static String hint(String role, String schema) {
        return " [cleanroom: this test's role " + role + " may read and write the rows of its schema " + schema
                + " only. To let a test change its schema's shape (DDL: CREATE, ALTER, DROP, COMMENT, REFRESH MATERIALIZED "
                + "VIEW, or an application's own Flyway), declare @IsolatedPostgres(ddl = true) on it, or set "
                + "cleanroom.postgres.ddl=true for every test]";
    }

    /** {@code e} with the hint if it is a refusal for want of a privilege; else {@code e} itself. */
    static SQLException explained(SQLException e, String hint) {
        if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
            return e;
        }
        String message = e.getMessage() + hint;
        SQLException explained = e instanceof BatchUpdateException b
                ? new BatchUpdateException(message, e.getSQLState(), e.getErrorCode(), b.getUpdateCounts(), e)
                : new SQLException(message, e.getSQLState(), e.getErrorCode(), e);
        return explained;
    }

    private record Explaining(DataSource pool, String hint) implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            return connection(pool.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return connection(pool.getConnection(username, password));
        }

        private Connection connection(Connection c) {
            Connection[] self = new Connection[1];
            self[0] = proxy(Connection.class, c, (method, result) -> {
                if (result instanceof CallableStatement cs && method.getReturnType() == CallableStatement.class) {
                    return statement(CallableStatement.class, cs, self[0]);
                }
                if (result instanceof PreparedStatement ps && method.getReturnType() == PreparedStatement.class) {
                    return statement(PreparedStatement.class, ps, self[0]);
                }
                if (result instanceof Statement st && method.getReturnType() == Statement.class) {
                    return statement(Statement.class, st, self[0]);
                }
                return result;
            });
            return self[0];
        }

        private <S extends Statement> S statement(Class<S> type, S statement, Connection connection) {
            return proxy(type, statement, (method, result) -> method.getName().equals("getConnection")
                    && method.getParameterCount() == 0 ? connection : result);
        }

        private <T> T proxy(Class<T> type, T target, Results results) {
            InvocationHandler handler = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "equals":
                        if (method.getParameterCount() == 1) {
                            return proxy == args[0];
                        }
                        break;
                    case "hashCode":
                        if (method.getParameterCount() == 0) {
                            return System.identityHashCode(proxy);
                        }
                        break;
                    default:
                        break;
                }
                try {
                    return results.map(method, method.invoke(target, args));
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof SQLException sql ? explained(sql, hint) : cause;
                }
            };
            return type.cast(Proxy.newProxyInstance(RowsOnly.class.getClassLoader(), new Class<?>[] {type}, handler));
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(this) || pool.isWrapperFor(iface);
        }

        @Override
        public String toString() {
            return "rows-only " + pool;
        }
    }

    /** Wraps what a proxied method returned. */
    @FunctionalInterface
    private interface Results {
        Object map(Method method, Object result);
    }
}
