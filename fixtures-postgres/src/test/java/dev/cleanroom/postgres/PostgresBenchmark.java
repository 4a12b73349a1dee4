package dev.cleanroom.postgres;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.internal.EngineSelection;
import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.internal.ContainerEngine;
import dev.cleanroom.postgres.internal.EmbeddedEngine;
import dev.cleanroom.postgres.internal.IsolatedDatabase;
import dev.cleanroom.postgres.internal.MigrationSet;
import dev.cleanroom.postgres.internal.PostgresServer;
import dev.cleanroom.postgres.internal.PostgresServerProvider;
import dev.cleanroom.postgres.internal.ServerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Per-test isolation time on the test thread (setup and teardown, p50/p95), with a
 * 10-table migration, beside the naive ways measured in the same run. Not a test: run
 * {@code ./mvnw -q -pl fixtures-postgres -am -Pbenchmark -DskipTests verify}. Writes
 * target/benchmark-postgres.txt.
 */
public final class PostgresBenchmark {

    private static final String MIGRATIONS = "db/benchmark";
    private static final int ITERATIONS = Integer.getInteger("benchmark.iterations", 200);
    private static final int CONTAINER_ITERATIONS = Integer.getInteger("benchmark.container-iterations", 3);
    private static final long TEST_BODY_MILLIS = Long.getLong("benchmark.test-body-ms", 20);

    private record Row(String name, int n, double setupP50, double setupP95, double teardownP50, double teardownP95,
                       double totalP50, double totalP95) {}

    private final List<Row> rows = new ArrayList<>();
    private final ClassLoader loader = PostgresBenchmark.class.getClassLoader();

    public static void main(String[] args) throws Exception {
        new PostgresBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Configuration cfg = Configuration.load(loader, k -> Optional.empty());
        Engine engine = EngineSelection.resolve(cfg, PostgresSettings.ENGINE, "postgres");
        PostgresServer server = new PostgresServerProvider().start(engine, cfg);
        String migrator;
        try (Connection admin = DriverManager.getConnection(server.endpoint().jdbcUrl(), server.endpoint().user(),
                server.endpoint().password())) {
            floor(admin);
            Configuration builtin = withSetting(cfg, "cleanroom.postgres.migrator", "builtin");
            cleanroom(server, builtin, "@IsolatedPostgres, builtin, back-to-back tests", 0, ITERATIONS);
            cleanroom(server, builtin, "@IsolatedPostgres, builtin, " + TEST_BODY_MILLIS + " ms test body", TEST_BODY_MILLIS,
                    ITERATIONS);
            cleanroom(server, builtin, "@IsolatedPostgres, builtin, 100 ms test body", 100, ITERATIONS / 2);
            inline(server, admin, "builtin", Math.max(20, ITERATIONS / 4));
            Configuration flyway = withSetting(cfg, "cleanroom.postgres.migrator", "flyway");
            cleanroom(server, flyway, "@IsolatedPostgres, flyway, back-to-back tests", 0, ITERATIONS);
            cleanroom(server, flyway, "@IsolatedPostgres, flyway, 100 ms test body", 100, ITERATIONS / 4);
            inline(server, admin, "flyway", 20);
            truncate(server, admin);
            migrator = "builtin and flyway; " + server.schemasCopied() + " schemas copied from a first migration\n"
                    + server.describePools();
        } finally {
            server.close();
        }
        freshServer(engine, cfg);
        report(engine, server.describe(), migrator);
    }

    private void floor(Connection admin) throws Exception {
        long[] t = new long[ITERATIONS * 5];
        try (Statement st = admin.createStatement()) {
            for (int i = 0; i < 200; i++) st.execute("SELECT 1"); // warm-up
            for (int i = 0; i < t.length; i++) {
                long s = System.nanoTime();
                st.execute("SELECT 1");
                t[i] = System.nanoTime() - s;
            }
        }
        rows.add(row("floor: server round trip (SELECT 1)", t, new long[t.length]));
    }

    /** What @IsolatedPostgres does on the test thread: take + rename (setup), hand to the dropper (teardown). */
    private void cleanroom(PostgresServer server, Configuration cfg, String name, long bodyMillis, int n) throws Exception {
        int warmup = 10;
        long[] setup = new long[n];
        long[] teardown = new long[n];
        for (int i = -warmup; i < n; i++) {
            long s = System.nanoTime();
            IsolatedDatabase handle = server.isolate(Mode.SCHEMA, MIGRATIONS, TestIdentity.named("BenchTest" + i), loader, cfg);
            long m = System.nanoTime();
            handle.dataSource();
            long e = System.nanoTime();
            if (Boolean.getBoolean("benchmark.debug") && i >= 0) System.out.printf("isolate %.3f pool %.3f%n", (m - s) / 1e6, (e - m) / 1e6);
            testBody(handle, bodyMillis);
            long t0 = System.nanoTime();
            handle.release();
            long t1 = System.nanoTime();
            if (i >= 0) {
                setup[i] = e - s;
                teardown[i] = t1 - t0;
            }
        }
        server.awaitDrops(java.time.Duration.ofMinutes(2));
        rows.add(row(name, setup, teardown));
    }

    private static void testBody(IsolatedDatabase handle, long bodyMillis) throws InterruptedException {
        handle.update("INSERT INTO table_01 (name) VALUES (?)", "x");
        handle.queryForObject("SELECT count(*) FROM table_01", Long.class);
        if (bodyMillis > 0) {
            Thread.sleep(bodyMillis);
        }
    }

    /** Baseline (a): create schema, migrate and drop it inline in each test. */
    private void inline(PostgresServer server, Connection admin, String migrator, int n) throws Exception {
        MigrationSet set = MigrationSet.load(MIGRATIONS, loader);
        long[] setup = new long[n];
        long[] teardown = new long[n];
        try (Statement st = admin.createStatement()) {
            for (int i = -3; i < n; i++) {
                String schema = server.prefix() + "inline_" + (i + 3);
                long s = System.nanoTime();
                st.execute("CREATE SCHEMA " + schema);
                if (migrator.equals("flyway")) {
                    PGSimpleDataSource ds = new PGSimpleDataSource();
                    ds.setURL(server.endpoint().jdbcUrl(server.endpoint().database(), schema));
                    ds.setUser(server.endpoint().user());
                    ds.setPassword(server.endpoint().password());
                    Flyway.configure(loader).dataSource(ds).locations("classpath:" + MIGRATIONS).schemas(schema)
                            .defaultSchema(schema).createSchemas(false).load().migrate();
                } else {
                    set.applyBuiltin(admin, schema, "SET LOCAL search_path TO " + schema);
                }
                long e = System.nanoTime();
                st.execute("DROP SCHEMA " + schema + " CASCADE");
                long t = System.nanoTime();
                if (i >= 0) {
                    setup[i] = e - s;
                    teardown[i] = t - e;
                }
            }
        }
        rows.add(row("(a) create schema + migrate (" + migrator + ") + drop, inline", setup, teardown));
    }

    /** Baseline (c): one shared schema, TRUNCATE every table after each test. */
    private void truncate(PostgresServer server, Connection admin) throws Exception {
        String schema = server.prefix() + "truncate";
        MigrationSet set = MigrationSet.load(MIGRATIONS, loader);
        try (Statement st = admin.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            set.applyBuiltin(admin, schema, "SET LOCAL search_path TO " + schema);
            StringBuilder tables = new StringBuilder();
            for (int k = 1; k <= 10; k++) tables.append(k > 1 ? ", " : "").append(schema).append(String.format(".table_%02d", k));
            long[] setup = new long[ITERATIONS];
            long[] teardown = new long[ITERATIONS];
            for (int i = -10; i < ITERATIONS; i++) {
                st.execute("INSERT INTO " + schema + ".table_01 (name) VALUES ('x')");
                long s = System.nanoTime();
                st.execute("TRUNCATE " + tables + " RESTART IDENTITY CASCADE");
                long e = System.nanoTime();
                if (i >= 0) teardown[i] = e - s;
            }
            st.execute("DROP SCHEMA " + schema + " CASCADE");
            rows.add(row("(c) TRUNCATE 10 tables of one shared schema", setup, teardown));
        }
    }

    /** Baseline (b): a fresh server per test (container, or embedded server on the embedded engine). */
    private void freshServer(Engine engine, Configuration cfg) throws Exception {
        MigrationSet set = MigrationSet.load(MIGRATIONS, loader);
        long[] setup = new long[CONTAINER_ITERATIONS];
        long[] teardown = new long[CONTAINER_ITERATIONS];
        for (int i = 0; i < CONTAINER_ITERATIONS; i++) {
            long s = System.nanoTime();
            ServerEngine fresh = engine == Engine.EMBEDDED
                    ? EmbeddedEngine.start(cfg.get(PostgresSettings.EMBEDDED_OS_USER), PostgresSettings.EMBEDDED_OS_USER.key())
                    : ContainerEngine.start(cfg.get(PostgresSettings.IMAGE), false);
            try (Connection c = DriverManager.getConnection(fresh.endpoint().jdbcUrl(), fresh.endpoint().user(),
                    fresh.endpoint().password())) {
                set.applyBuiltin(c, "fresh server", "SELECT 1");
            }
            long e = System.nanoTime();
            fresh.close();
            teardown[i] = System.nanoTime() - e;
            setup[i] = e - s;
        }
        rows.add(row("(b) fresh " + (engine == Engine.EMBEDDED ? "embedded server" : "container") + " per test + migrate",
                setup, teardown));
    }

    private static Row row(String name, long[] setup, long[] teardown) {
        long[] total = new long[setup.length];
        for (int i = 0; i < total.length; i++) total[i] = setup[i] + teardown[i];
        return new Row(name, setup.length, p(setup, 50), p(setup, 95), p(teardown, 50), p(teardown, 95), p(total, 50), p(total, 95));
    }

    private static double p(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1_000_000.0;
    }

    private static Configuration withSetting(Configuration base, String key, String value) {
        Map<String, String> sys = new HashMap<>();
        System.getProperties().forEach((k, v) -> sys.put(String.valueOf(k), String.valueOf(v)));
        sys.put(key, value);
        return Configuration.load(PostgresBenchmark.class.getClassLoader(), k -> Optional.ofNullable(sys.get(k)));
    }

    private void report(Engine engine, String server, String migrators) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append("Cleanroom Postgres benchmark: ").append(server).append(", ").append(ITERATIONS)
                .append(" iterations, 10-table migration (db/benchmark), times in ms on the test thread\n\n");
        out.append(String.format("| %-58s | %5s | %9s | %9s | %12s | %12s | %9s | %9s |%n", "way", "n", "setup p50",
                "setup p95", "teardown p50", "teardown p95", "total p50", "total p95"));
        out.append("|").append("-".repeat(60)).append("|------:|----------:|----------:|-------------:|-------------:|----------:|----------:|\n");
        for (Row r : rows) {
            out.append(String.format("| %-58s | %5d | %9.3f | %9.3f | %12.3f | %12.3f | %9.3f | %9.3f |%n", r.name(), r.n(),
                    r.setupP50(), r.setupP95(), r.teardownP50(), r.teardownP95(), r.totalP50(), r.totalP95()));
        }
        Row best = rows.stream().filter(r -> r.name().startsWith("@IsolatedPostgres, builtin, 100 ms")).findFirst().orElseThrow();
        Row inline = rows.stream().filter(r -> r.name().startsWith("(a)") && r.name().contains("builtin")).findFirst().orElseThrow();
        Row fresh = rows.stream().filter(r -> r.name().startsWith("(b)")).findFirst().orElseThrow();
        out.append(String.format("%n@IsolatedPostgres (built-in, 100 ms body) total p50 vs (a) built-in: %.0fx faster; vs (b): %.0fx faster%n",
                inline.totalP50() / best.totalP50(), fresh.totalP50() / best.totalP50()));
        out.append("engine: ").append(engine.configName()).append("; migrators measured: ").append(migrators).append('\n');
        System.out.print(out);
        Path file = Path.of(System.getProperty("benchmark.output", "target/benchmark-postgres.txt"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, out);
        System.out.println("written to " + file);
    }
}
