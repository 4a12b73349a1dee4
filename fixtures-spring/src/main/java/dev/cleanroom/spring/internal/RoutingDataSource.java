package dev.cleanroom.spring.internal;

import dev.cleanroom.postgres.PostgresHandle;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The application's {@code DataSource} in a Cleanroom context: a connection comes from the
 * current test's pool (its own schema), and outside any test (context start-up, Flyway,
 * Hibernate validation) from the context's own migrated schema. The wrapped bean is kept
 * only to be closed with the context; its own connections are never used.
 */
final class RoutingDataSource implements DataSource, AutoCloseable {

    private final DataSource contextSchema;
    private final Object wrapped;

    RoutingDataSource(DataSource contextSchema, Object wrapped) {
        this.contextSchema = contextSchema;
        this.wrapped = wrapped;
    }

    DataSource target() {
        return TestBinding.currentFixture(PostgresHandle.class).map(PostgresHandle::dataSource).orElse(contextSchema);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return target().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("Under Cleanroom every test logs in as its own schema's role; "
                + "getConnection(username, password) is not supported. Use getConnection().");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("dev.cleanroom.spring");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return target().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target().isWrapperFor(iface);
    }

    @Override
    public void close() throws Exception {
        if (wrapped instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return "Cleanroom RoutingDataSource(current test's schema, else " + contextSchema + ")";
    }
}
