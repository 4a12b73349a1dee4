package dev.cleanroom.postgres;

import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cleanroom.core.CleanroomExtension;
import dev.cleanroom.core.LeakException;
import dev.cleanroom.core.spi.UsesSharedServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import dev.cleanroom.testkit.EngineKit;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A HikariCP pool that a test opens itself and never closes fails that test, with a report
 * that names the pool, where the test made it, and says to close it; the pool
 * PostgresHandle gives is closed for the test and never reported.
 */
@ExtendWith(CleanroomExtension.class)
@UsesSharedServer(PostgresServerProvider.class) // this run holds the server, so the nested run shares it
class PoolLeaksTest {

    static final List<HikariDataSource> LEAKED = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeWhatTheFixtureLeaked() {
        LEAKED.forEach(HikariDataSource::close);
        LEAKED.clear();
    }

    static HikariDataSource pool(PostgresHandle postgres, String name) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
        config.setMaximumPoolSize(1);
        if (name != null) {
            config.setPoolName(name);
        }
        HikariDataSource pool = new HikariDataSource(config);
        LEAKED.add(pool);
        try (Connection connection = pool.getConnection()) {
            connection.createStatement().execute("SELECT 1");
        }
        return pool;
    }

    @IsolatedPostgres
    static class Leaky {
        @Test
        void leavesADefaultPoolOpen(PostgresHandle postgres) throws Exception {
            pool(postgres, null);
        }

        @Test
        void leavesANamedPoolOpen(PostgresHandle postgres) throws Exception {
            pool(postgres, "orders-pool");
        }

        @Test
        void closesItsPool(PostgresHandle postgres) throws Exception {
            pool(postgres, "closed-pool").close();
        }

        @Test
        void usesTheHandlesPool(PostgresHandle postgres) throws Exception {
            try (Connection connection = postgres.dataSource().getConnection()) {
                connection.createStatement().execute("SELECT 1");
            }
        }
    }

    @Test
    void anUnclosedPoolFailsItsTestSayingWhatToClose() {
        EngineKit.run(Leaky.class, Map.of("cleanroom.leaks.linger", "200ms")).testEvents().assertThatEvents()
                .haveExactly(1, event(test("leavesADefaultPoolOpen"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.startsWith("1 leak in Leaky.leavesADefaultPoolOpen(PostgresHandle):")
                                && m.matches("(?s).*THREAD: thread 'HikariPool-\\d+:housekeeper'.*")
                                && m.matches("(?s).*a HikariCP pool 'HikariPool-\\d+': close the DataSource.*")
                                && madeAt(m, "leavesADefaultPoolOpen")))))
                .haveExactly(1, event(test("leavesANamedPoolOpen"), finishedWithFailure(instanceOf(LeakException.class),
                        message(m -> m.contains("thread 'orders-pool:housekeeper'")
                                && m.contains("a HikariCP pool 'orders-pool': close the DataSource (HikariDataSource.close()), "
                                + "or use the one PostgresHandle gives")
                                && madeAt(m, "leavesANamedPoolOpen")))))
                .haveExactly(1, event(test("closesItsPool"), finishedSuccessfully()))
                .haveExactly(1, event(test("usesTheHandlesPool"), finishedSuccessfully()));
    }

    /** The report says the pool was made by new HikariDataSource in {@link #pool}, called by the fixture's {@code test}. */
    static boolean madeAt(String report, String test) {
        return !report.contains("created at: unknown") && report.matches("(?s).*created at:\\s+"
                + "at \\S*com\\.zaxxer\\.hikari\\.HikariDataSource\\.<init>\\([^)]*\\)\\s+"
                + "at \\S*PoolLeaksTest\\.pool\\(PoolLeaksTest\\.java:\\d+\\)\\s+"
                + "at \\S*PoolLeaksTest\\$Leaky\\." + test + "\\(PoolLeaksTest\\.java:\\d+\\).*");
    }
}
