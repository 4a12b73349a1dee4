package dev.cleanroom.postgres;

import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Looking at the shared server as its admin, from outer tests (nested runs go through {@code EngineKit}). */
final class ServerAdmin {

    private ServerAdmin() {}

    /** Resolves a {@link PostgresServer} parameter: the shared server, for admin checks in outer tests. */
    static final class SharedServer implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return parameterContext.getParameter().getType() == PostgresServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return Fixtures.sharedServer(extensionContext, PostgresServerProvider.class);
        }
    }

    static Connection admin(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.endpoint().jdbcUrl(), server.endpoint().user(), server.endpoint().password());
    }

    static List<String> names(Connection admin, String query) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Polls {@code probe} until it is empty; fails naming what was waited for and what was seen last. */
    static void awaitEmpty(String what, Duration timeout, SqlSupplier<List<String>> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = probe.get();
        while (!seen.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = probe.get();
        }
        if (!seen.isEmpty()) {
            throw new AssertionError("Waited " + timeout.toSeconds() + " s for " + what + " to be gone, but still saw " + seen);
        }
    }

    @FunctionalInterface
    interface SqlSupplier<T> {
        T get() throws Exception;
    }

}
