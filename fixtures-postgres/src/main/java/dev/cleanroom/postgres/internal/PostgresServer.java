package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.Engine;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.TestIdentity;
import dev.cleanroom.core.WaitTimeoutException;
import dev.cleanroom.core.internal.Faults;
import dev.cleanroom.core.internal.ServerGone;
import dev.cleanroom.core.internal.ServerWatch;
import dev.cleanroom.core.spi.PlannedTest;
import dev.cleanroom.core.spi.PrefetchPool;
import dev.cleanroom.core.spi.PrefetchWorkers;
import dev.cleanroom.core.spi.RunStatistics;
import dev.cleanroom.postgres.IsolatedPostgres.Mode;
import dev.cleanroom.postgres.PostgresSettings;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The suite's shared PostgreSQL server and everything this run made on it: a small admin
 * pool, one prefetch pool of migrated schemas (or databases) per migration set, the
 * background dropper, and a session advisory lock that tells other runs this run is alive.
 *
 * <p>Liveness: every run holds {@code pg_advisory_lock(<run id as base-36 number>)} on a
 * connection of its own for as long as it uses the server. At start, names of the form
 * {@code cr<run id>_...} whose run's lock can be taken belong to a dead run and are
 * dropped (schemas, databases, roles). Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class PostgresServer implements AutoCloseable {

    private static final Duration DROP_DEADLINE = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Engine engine;
    private final ServerEngine server;
    private final Endpoint endpoint;
    private final String prefix = "cr" + RunId.current() + "_";
    private volatile RunStatistics statistics = RunStatistics.detached();
    private final HikariDataSource admin;
    private final Connection runLock;
    private final PrefetchWorkers preparers;
    private final ExecutorService dropper;
    private final Map<PoolKey, IsolationPool> pools = new ConcurrentHashMap<>();
    private final Map<String, Object> templateLocks = new ConcurrentHashMap<>();
    /** For the JVM, not per server: names stay unique within the run id when a server is started again. */
    private static final AtomicLong NAMES = new AtomicLong();
    private final AtomicInteger pendingDrops = new AtomicInteger();
    private final ConcurrentLinkedQueue<Throwable> dropFailures = new ConcurrentLinkedQueue<>();
    private final Object dropMonitor = new Object();
    private final int serverVersion;
    private final Logins logins;
    private final Duration connectTimeout;
    private final ServerGone gone = new ServerGone("PostgreSQL");
    private volatile boolean closed;
    private final ServerWatch watch; // probes the server after a failed request and while a test waits for its schema

    private static final Duration WAITED = Duration.ofMillis(1);

    /** One prefetch pool per key; {@code ddl}: the tests' roles own their schemas (always true in database mode). */
    private record PoolKey(Mode mode, String location, PostgresSettings.Migrator migrator, boolean ddl) {
        PoolKey {
            ddl = ddl || mode == Mode.DATABASE;
        }
    }

    private PostgresServer(Engine engine, ServerEngine server, int concurrency, Duration connectTimeout)
            throws SQLException {
        this.engine = engine;
        this.server = server;
        this.endpoint = server.endpoint();
        this.connectTimeout = connectTimeout;
        this.watch = new ServerWatch(gone, () -> describe() + " at " + endpoint.hosts(), connectTimeout, server::whyGone,
                this::notAnswering, "cleanroom-postgres-probe");
        // each step releases what the steps before it made if it fails: nothing of a failed start stays
        Connection runLock = null;
        HikariDataSource admin = null;
        PrefetchWorkers preparers = null;
        try {
            Faults.check("postgres.server.before-lock");
            runLock = DriverManager.getConnection(endpoint.jdbcUrl(), connectProperties(endpoint.user(), endpoint.password()));
            int maxConnections;
            try (Statement st = runLock.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + lockKey(RunId.current()) + ")");
                try (ResultSet rs = st.executeQuery("SHOW max_connections")) {
                    rs.next();
                    maxConnections = Integer.parseInt(rs.getString(1));
                }
            }
            this.serverVersion = runLock.getMetaData().getDatabaseMajorVersion();
            this.logins = new Logins(maxConnections / 4);
            // auto: the machine's processors (PrefetchWorkers.defaultConcurrency), at most a tenth of the server's connections
            int threads = concurrency > 0 ? concurrency
                    : Math.max(1, Math.min(PrefetchWorkers.defaultConcurrency(), maxConnections / 10));
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(endpoint.jdbcUrl());
            config.setUsername(endpoint.user());
            config.setPassword(endpoint.password());
            config.setMaximumPoolSize(threads + 4); // the preparers, the dropper, hand-outs on test threads
            config.setMinimumIdle(2);
            // what the admin does (create, copy, rename, drop) needs no durability: a crashed server loses the tests anyway
            config.setConnectionInitSql("SET synchronous_commit = off");
            config.setPoolName("cleanroom-postgres-admin");
            bound(config);
            admin = new HikariDataSource(config);
            Faults.check("postgres.server.before-executors");
            preparers = new PrefetchWorkers("cleanroom-postgres-prepare-", threads);
            Faults.check("postgres.server.before-dropper");
            // drops and resets of released schemas (a reset takes milliseconds: as many threads as preparers)
            this.dropper = Executors.newFixedThreadPool(threads, daemon("cleanroom-postgres-dropper-"));
        } catch (SQLException | RuntimeException | Error e) {
            if (preparers != null) {
                preparers.close(Duration.ZERO);
            }
            if (admin != null) {
                admin.close();
            }
            if (runLock != null) {
                try {
                    runLock.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        this.admin = admin;
        this.runLock = runLock;
        this.preparers = preparers;
    }

    /** Bounds a pool's waits by cleanroom.postgres.connect-timeout: getting a connection, connecting, logging in. */
    private void bound(HikariConfig config) {
        config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        long seconds = Math.max(1, connectTimeout.toSeconds());
        config.addDataSourceProperty("connectTimeout", String.valueOf(seconds));
        config.addDataSourceProperty("loginTimeout", String.valueOf(seconds));
    }

    private java.util.Properties connectProperties(String user, String password) {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        long seconds = Math.max(1, connectTimeout.toSeconds());
        props.setProperty("connectTimeout", String.valueOf(seconds));
        props.setProperty("loginTimeout", String.valueOf(seconds));
        return props;
    }

    /** Connects to a started engine and prepares the server; on failure closes what it opened (not the engine). */
    static PostgresServer connect(Engine engine, ServerEngine server, Configuration configuration) throws Exception {
        PostgresServer started = new PostgresServer(engine, server, configuration.get(PostgresSettings.PREPARE_CONCURRENCY),
                configuration.get(PostgresSettings.CONNECT_TIMEOUT));
        try {
            Faults.check("postgres.server.before-prepare");
            started.prepareServer();
        } catch (Exception | Error e) {
            started.closeConnections();
            throw e;
        }
        return started;
    }

    /** The failure to report when connecting to the external server failed because the login was refused. */
    static Exception explain(Engine engine, ServerEngine server, Configuration configuration, Exception e) {
        if (engine == Engine.EXTERNAL && loginRefused(e)) {
            return new dev.cleanroom.core.ConfigurationException("PostgreSQL at " + server.endpoint().hosts()
                    + " refused the login of user '" + server.endpoint().user() + "' (" + PostgresSettings.USER.key()
                    + " from " + configuration.sourceOf(PostgresSettings.USER) + "): " + rootMessage(e) + ". Check "
                    + PostgresSettings.PASSWORD.key() + " (from " + configuration.sourceOf(PostgresSettings.PASSWORD)
                    + ") and " + PostgresSettings.USER.key() + ". "
                    + dev.cleanroom.core.Configuration.howToSet(PostgresSettings.PASSWORD.key(), "<password>"), e);
        }
        return e;
    }

    /** Whether the server refused the login (SQLSTATE class 28: invalid authorization). */
    private static boolean loginRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    public Engine engine() {
        return engine;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public String describe() {
        return server.describe();
    }

    /**
     * The run that background preparation and drops are counted for: the latest run that
     * isolated a test here. Preparation is shared by every run in this JVM, so a run
     * nested in a test may be credited with some of the outer run's work while it runs.
     */
    public void countFor(RunStatistics run) {
        statistics = run;
    }

    RunStatistics statistics() {
        return statistics;
    }

    /** The prefix of every name this run creates: {@code cr<run id>_}. */
    public String prefix() {
        return prefix;
    }

    /**
     * A migrated schema (or database) whose role owns it and so may change its shape (DDL),
     * as a whole application context needs (its own Flyway); see the other overload.
     */
    public IsolatedDatabase isolate(Mode mode, String location, TestIdentity identity, ClassLoader classLoader,
                                    Configuration configuration) {
        return isolate(mode, location, true, identity, classLoader, configuration);
    }

    /**
     * A migrated schema (or database) for one test, prepared ahead: handed out as it is (no
     * statement runs here). Without {@code ddl} (and {@code cleanroom.postgres.ddl} false) the
     * test's role may read and write its schema's rows only. Runs on the test thread.
     */
    public IsolatedDatabase isolate(Mode mode, String location, boolean ddl, TestIdentity identity, ClassLoader classLoader,
                                    Configuration configuration) {
        if (closed) {
            throw new IllegalStateException("The shared PostgreSQL server (" + describe() + ") is closed");
        }
        gone.check();
        String doing = "giving " + identity.readableName() + " its " + (mode == Mode.SCHEMA ? "schema" : "database");
        try {
            return isolateNow(mode, location, ddl || configuration.get(PostgresSettings.DDL), identity, classLoader,
                    configuration, doing);
        } catch (RuntimeException | WaitTimeoutException e) { // a preparation that timed out may mean a dead server
            IllegalStateException dead = ifGone(e, doing);
            if (dead != null) {
                throw dead;
            }
            throw e;
        }
    }

    private IsolatedDatabase isolateNow(Mode mode, String location, boolean ddl, TestIdentity identity,
                                        ClassLoader classLoader, Configuration configuration, String doing) {
        IsolationPool pool = pool(new PoolKey(mode, location, configuration.get(PostgresSettings.MIGRATOR), ddl), classLoader,
                configuration);
        long start = System.nanoTime();
        Prepared prepared;
        // a hung server (not dead) would keep the test waiting the whole prepare-timeout: probe it meanwhile
        try (ServerWatch.Watch watching = watch.watch(doing)) {
            prepared = pool.take(configuration.get(PostgresSettings.PREPARE_TIMEOUT), identity.readableName());
        }
        gone.check();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.compareTo(WAITED) > 0) { // a ready schema is handed out in microseconds
            statistics.waited(mode == Mode.SCHEMA ? "schemas" : "databases", took);
        }
        if (prepared.reused()) {
            statistics.reused("schemas", 1);
        }
        // handed out under the name it was prepared (or reset) under, which no earlier test had: no statement here
        return new IsolatedDatabase(this, mode, prepared.name(), prepared.user(), prepared.password(),
                configuration.get(PostgresSettings.POOL_SIZE), prepared.pool(), prepared.reused(),
                mode == Mode.SCHEMA && pool.recycles() ? pool : null, prepared.namesItself(), prepared.stamp(), pool.ddl());
    }

    private IsolationPool pool(PoolKey key, ClassLoader classLoader, Configuration configuration) {
        return pools.computeIfAbsent(key, k -> new IsolationPool(this, k.mode(), MigrationSet.load(k.location(), classLoader),
                classLoader, configuration.get(PostgresSettings.PREFETCH), k.migrator(),
                configuration.get(PostgresSettings.POOL_SIZE), configuration.get(PostgresSettings.RECYCLE), k.ddl()));
    }

    /**
     * Announces the schemas (or databases) that the tests of a run's plan will take, per
     * migration set, so that they are prepared from the start of the run (up to the pools'
     * depth limit) rather than as the first tests wait. A declaration that cannot be
     * loaded announces nothing: the tests that use it report it.
     */
    public void announce(List<PlannedTest> plan, Configuration configuration, ClassLoader classLoader) {
        int prefetch = configuration.get(PostgresSettings.PREFETCH);
        if (prefetch == 0 || closed) {
            return;
        }
        PostgresSettings.Migrator migrator = configuration.get(PostgresSettings.MIGRATOR);
        boolean allDdl = configuration.get(PostgresSettings.DDL);
        Map<PoolKey, Long> demand = new java.util.LinkedHashMap<>();
        for (PlannedTest test : plan) {
            if (!test.disabled()) {
                Declarations.find(test.testClass(), java.util.Optional.of(test.method())).ifPresent(d -> demand.merge(
                        new PoolKey(d.mode(), d.migrations(), migrator, d.ddl() || allDdl), (long) test.invocations(1),
                        Long::sum));
            }
        }
        demand.forEach((key, takes) -> {
            try {
                pool(key, classLoader, configuration).expectDemand(takes);
            } catch (RuntimeException e) {
                // a missing or broken migration set: each test that declares it fails with the message
            }
        });
    }

    /** Per migration set: what its prefetch pool did (prepared, taken, waited, average preparation), for benchmarks. */
    public String describePools() {
        StringBuilder out = new StringBuilder();
        pools.forEach((key, pool) -> {
            PrefetchPool.Stats s = pool.stats();
            out.append(key.mode().name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(key.location()).append(" (")
                    .append(key.migrator().name().toLowerCase(java.util.Locale.ROOT)).append("): ").append(s.prepared())
                    .append(" prepared (").append(pool.copies()).append(" of them copies), ").append(s.taken())
                    .append(" taken, ").append(pool.recycled()).append(" reset and reused, ").append(pool.notRecycled())
                    .append(" changed by their test and dropped, ").append(s.waited()).append(" takes waited, ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", s.averagePrepareNanos() / 1e6))
                    .append(" ms per preparation on average, depth ").append(s.depth()).append('\n');
        });
        return out.toString();
    }

    /** How many released schemas this server reset and handed out again. */
    public long schemasRecycled() {
        return pools.values().stream().mapToLong(IsolationPool::recycled).sum();
    }

    /** How many released schemas this server dropped instead of reusing them (their test changed them, or a fence failed). */
    public long schemasNotRecycled() {
        return pools.values().stream().mapToLong(IsolationPool::notRecycled).sum();
    }

    /**
     * How often the schemas of this server's pools had their catalogs scanned to check a
     * reset (a stamp or a fingerprint), over the pools whose tests may run DDL ({@code ddl})
     * or those whose tests may not.
     */
    public long catalogScans(boolean ddl) {
        return pools.entrySet().stream().filter(e -> e.getKey().mode() == Mode.SCHEMA && e.getKey().ddl() == ddl)
                .mapToLong(e -> e.getValue().catalogScans()).sum();
    }

    /** How many schemas this server made by copying a first migration (the rest were migrated). */
    public long schemasCopied() {
        return pools.values().stream().mapToLong(IsolationPool::copies).sum();
    }

    /** Fails at once, with the first message, if the server was found gone. */
    public void checkAlive() {
        gone.check();
    }

    public boolean isGone() {
        return gone.isGone();
    }

    /**
     * After a request failed while {@code doing}: if the server is gone, the failure that
     * names it (and is remembered for every later test); else null.
     */
    public IllegalStateException ifGone(Throwable failure, String doing) {
        return watch.ifGone(failure, doing);
    }

    /**
     * Empty if the server answers a probe on a connection of its own: connect, login and
     * {@code SELECT 1}, each bounded by cleanroom.postgres.connect-timeout (the socket timeout is
     * the probe's only, so long migrations elsewhere are not cut); else why it is gone or hung.
     */
    private java.util.Optional<String> notAnswering() {
        java.util.Properties props = connectProperties(endpoint.user(), endpoint.password());
        props.setProperty("socketTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
        try (Connection probe = DriverManager.getConnection(endpoint.jdbcUrl(), props);
             Statement st = probe.createStatement()) {
            st.execute("SELECT 1");
            return java.util.Optional.empty();
        } catch (SQLException e) {
            return java.util.Optional.of("it is not answering: a fresh connection (connect, login, SELECT 1) did not"
                    + " succeed within " + PostgresSettings.CONNECT_TIMEOUT.key() + " ("
                    + connectTimeout.toMillis() + " ms): " + String.valueOf(e.getMessage()).replaceAll("\\.+$", ""));
        }
    }

    String newPoolName(String kind) {
        return prefix + kind + NAMES.incrementAndGet();
    }

    static String newPassword() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    PrefetchWorkers preparers() {
        return preparers;
    }

    Object templateLock(String template) {
        return templateLocks.computeIfAbsent(template, t -> new Object());
    }

    Connection adminConnection() throws SQLException {
        return admin.getConnection();
    }

    /** A plain admin connection to another database of the server (not pooled). */
    Connection adminConnection(String database) throws SQLException {
        return DriverManager.getConnection(endpoint.jdbcUrl(database, null),
                connectProperties(endpoint.user(), endpoint.password()));
    }

    /**
     * A test's connections, logged in as {@code role}, at most {@code size} at once; with
     * {@code ahead} (off the test thread) one is logged in now, within the budget of idle
     * connections made ahead (a quarter of the server's max_connections).
     */
    RoleConnections connections(String url, String role, String password, int size, boolean ahead) {
        RoleConnections.Login login = () -> DriverManager.getConnection(url, connectProperties(role, password));
        long wait = Math.max(250, connectTimeout.toMillis()) * 1_000_000L;
        return ahead ? RoleConnections.ahead(role, login, size, wait, logins)
                : RoleConnections.onDemand(role, login, size, wait, logins);
    }

    /** How many test-role logins were made ahead (off the test thread), and how many when a test asked. */
    public long loginsAhead() {
        return logins.ahead.get();
    }

    /** Logins of tests' roles made when a test asked for a connection (on its thread, or one it started). */
    public long loginsOnDemand() {
        return logins.onDemand.get();
    }

    /** The logins of tests' roles, counted, and the budget of idle connections logged in ahead. */
    static final class Logins {
        private final int budget;
        private final AtomicInteger idleAhead = new AtomicInteger();
        private final AtomicLong ahead = new AtomicLong();
        private final AtomicLong onDemand = new AtomicLong();

        Logins(int budget) {
            this.budget = budget;
        }

        boolean reserveAhead() {
            if (idleAhead.incrementAndGet() <= budget) {
                return true;
            }
            idleAhead.decrementAndGet();
            return false;
        }

        void releaseAhead() {
            idleAhead.decrementAndGet();
        }

        void loggedInAhead() {
            ahead.incrementAndGet();
        }

        void loggedInOnDemand() {
            onDemand.incrementAndGet();
        }
    }

    /** A non-pooled data source logged in as {@code role}, for Flyway. */
    PGSimpleDataSource roleDataSource(String database, String schema, String role, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(endpoint.jdbcUrl(database, schema));
        ds.setUser(role);
        ds.setPassword(password);
        ds.setConnectTimeout((int) Math.max(1, connectTimeout.toSeconds()));
        ds.setLoginTimeout((int) Math.max(1, connectTimeout.toSeconds()));
        return ds;
    }

    int serverVersion() {
        return serverVersion;
    }

    /**
     * Drops a schema (or database) and its role on the dropper thread, after closing the
     * test's pool. {@link #awaitDrops} and {@link #close} wait for every drop.
     */
    void drop(Mode mode, String name, String role, RoleConnections pool) {
        release(mode, name, role, pool, null, false, null);
    }

    /**
     * Closes a test's pool and, on the dropper thread, resets its schema and gives it back to
     * {@code origin} (when not null and the schema passes the reset's checks), or drops
     * schema (or database) and role. {@link #awaitDrops} and {@link #close} wait for both.
     */
    void release(Mode mode, String name, String role, RoleConnections pool, IsolationPool origin, boolean namesItself,
                 String stamp) {
        if (gone.isGone()) { // a dead server drops nothing; its pool only needs closing
            if (pool != null) {
                pool.close();
            }
            return;
        }
        if (origin != null) {
            origin.returning(); // counted as on its way back at once: the pool makes no other in its place
        }
        pendingDrops.incrementAndGet();
        try {
            dropper.execute(() -> {
                try {
                    if (pool != null) {
                        pool.close();
                    }
                    if (origin != null) {
                        origin.recycleOrDrop(name, role, namesItself, stamp);
                    } else {
                        dropNow(mode, name, role);
                    }
                } catch (Throwable t) {
                    dropFailures.add(new IllegalStateException("Dropping " + (mode == Mode.SCHEMA ? "schema " : "database ")
                            + name + " and role " + role + " failed: " + t, t));
                } finally {
                    if (pendingDrops.decrementAndGet() == 0) {
                        synchronized (dropMonitor) {
                            dropMonitor.notifyAll();
                        }
                    }
                }
            });
        } catch (RuntimeException rejected) {
            pendingDrops.decrementAndGet();
            if (origin != null) {
                origin.returnFailed();
            }
            throw rejected;
        }
    }

    /** Drops at once on the calling thread; counts the removal. */
    void dropNow(Mode mode, String name, String role) throws SQLException {
        try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
            boolean removed;
            if (mode == Mode.SCHEMA) {
                // a schema whose reset failed may be named after its role again
                removed = exists(st, "SELECT 1 FROM pg_namespace WHERE nspname IN (" + Sql.literal(name) + ", "
                        + Sql.literal(role) + ")");
                // the owner's sessions, and those of the test's role where the test could not run DDL
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN (" + Sql.literal(role)
                        + ", " + Sql.literal(IsolationPool.userOf(role)) + ") AND pid <> pg_backend_pid()");
                st.execute("DROP SCHEMA IF EXISTS " + Sql.id(name) + " CASCADE");
                dropRole(st, IsolationPool.userOf(role));
            } else {
                removed = exists(st, "SELECT 1 FROM pg_database WHERE datname = " + Sql.literal(name));
                st.execute("DROP DATABASE IF EXISTS " + Sql.id(name) + (serverVersion >= 13 ? " WITH (FORCE)" : ""));
            }
            dropRole(st, role);
            if (removed) {
                statistics().removed(mode == Mode.SCHEMA ? "schemas" : "databases", 1);
            }
        }
    }

    static void dropRole(Statement st, String role) throws SQLException {
        if (exists(st, "SELECT 1 FROM pg_roles WHERE rolname = " + Sql.literal(role))) {
            st.execute("DROP OWNED BY " + Sql.id(role) + " CASCADE; DROP ROLE " + Sql.id(role));
        }
    }

    static boolean exists(Statement st, String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            return rs.next();
        }
    }

    /** Waits until every drop queued so far is done; returns (and forgets) the failures. */
    public List<Throwable> awaitDrops(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (dropMonitor) {
            while (pendingDrops.get() > 0 && !gone.isGone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    List<Throwable> failures = drainFailures();
                    failures.add(new IllegalStateException("Waited " + timeout.toSeconds() + " s for the PostgreSQL drops "
                            + "of this run to finish; " + pendingDrops.get() + " still pending"));
                    return failures;
                }
                TimeUnit.NANOSECONDS.timedWait(dropMonitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
        List<Throwable> failures = drainFailures();
        // on a dead server the drops fail because it died, which the tests already reported
        return gone.isGone() ? new ArrayList<>() : failures;
    }

    private List<Throwable> drainFailures() {
        List<Throwable> failures = new ArrayList<>();
        for (Throwable t; (t = dropFailures.poll()) != null; ) {
            failures.add(t);
        }
        return failures;
    }

    /** Revokes CREATE on public on servers we own, and drops what dead runs left behind. */
    private void prepareServer() throws SQLException {
        try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
            if (server.ownsServer()) {
                st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            }
        }
        cleanOrphans();
    }

    /** Drops {@code cr<runid>_*} schemas, databases and roles of runs whose advisory lock is free. */
    void cleanOrphans() throws SQLException {
        Map<String, TreeSet<String>> schemas = new TreeMap<>();
        Map<String, TreeSet<String>> databases = new TreeMap<>();
        Map<String, TreeSet<String>> roles = new TreeMap<>();
        try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
            collect(st, "SELECT nspname FROM pg_namespace WHERE nspname ~ '^cr[a-z0-9]{10}_'", schemas);
            collect(st, "SELECT datname FROM pg_database WHERE datname ~ '^cr[a-z0-9]{10}_'", databases);
            collect(st, "SELECT rolname FROM pg_roles WHERE rolname ~ '^cr[a-z0-9]{10}_'", roles);
            TreeSet<String> runs = new TreeSet<>();
            runs.addAll(schemas.keySet());
            runs.addAll(databases.keySet());
            runs.addAll(roles.keySet());
            runs.remove(RunId.current());
            for (String run : runs) {
                if (!exists(st, "SELECT 1 WHERE pg_try_advisory_lock(" + lockKey(run) + ")")) {
                    continue; // alive: another JVM holds its lock
                }
                try {
                    for (String db : databases.getOrDefault(run, new TreeSet<>())) {
                        st.execute("DROP DATABASE IF EXISTS " + Sql.id(db) + (serverVersion >= 13 ? " WITH (FORCE)" : ""));
                    }
                    for (String schema : schemas.getOrDefault(run, new TreeSet<>())) {
                        st.execute("DROP SCHEMA IF EXISTS " + Sql.id(schema) + " CASCADE");
                    }
                    for (String role : roles.getOrDefault(run, new TreeSet<>())) {
                        dropRole(st, role);
                    }
                    System.err.println("[cleanroom] dropped the PostgreSQL leftovers of dead run " + run + " (started "
                            + java.time.Instant.ofEpochSecond(RunId.startedAtEpochSecond(run)) + ")");
                } finally {
                    st.execute("SELECT pg_advisory_unlock(" + lockKey(run) + ")");
                }
            }
        }
    }

    private static void collect(Statement st, String query, Map<String, TreeSet<String>> byRun) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                String name = rs.getString(1);
                byRun.computeIfAbsent(name.substring(2, 12), k -> new TreeSet<>()).add(name);
            }
        }
    }

    static long lockKey(String runId) {
        return Long.parseLong(runId, 36);
    }

    /**
     * Stops preparing, drops the prepared stock and templates, waits for every drop, releases
     * the run lock and stops the engine. Throws the drop failures, after stopping everything.
     */
    @Override
    public void close() throws Exception {
        closed = true;
        if (gone.isGone()) { // nothing to drop on a dead server: stop what runs here, at once
            for (IsolationPool pool : pools.values()) {
                pool.close(Duration.ZERO);
            }
            preparers.close(Duration.ZERO);
            dropper.shutdownNow();
            closeConnections();
            server.close();
            return;
        }
        List<Throwable> failures = new ArrayList<>();
        for (IsolationPool pool : pools.values()) { // each drops its stock, and what is still being prepared when it is done
            if (!pool.close(Duration.ofMinutes(2))) {
                failures.add(new IllegalStateException("Schema preparation did not stop within 2 minutes"));
            }
        }
        preparers.close(Duration.ofSeconds(10));
        failures.addAll(awaitDrops(DROP_DEADLINE));
        for (IsolationPool pool : pools.values()) {
            try {
                pool.dropTemplate();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        dropper.shutdown();
        watch.close();
        try {
            runLock.close();
        } catch (SQLException e) {
            failures.add(e);
        }
        admin.close();
        try {
            server.close();
        } catch (Exception e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("Closing the shared PostgreSQL server ("
                    + describe() + ") found " + failures.size() + " problem(s); the first: " + failures.get(0));
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** Closes the run lock and the admin pool. */
    private void closeConnections() {
        watch.close();
        preparers.close(Duration.ZERO);
        dropper.shutdownNow();
        try {
            runLock.close();
        } catch (SQLException e) {
            // the server is gone or closing; the lock goes with the connection
        }
        admin.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "PostgresServer[" + describe() + "]";
    }
}
