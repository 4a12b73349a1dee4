package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * One test's connections, logged in as its role: the handle's {@link DataSource}, in place
 * of a HikariCP pool per test (a pool object, a housekeeping thread and a login on the test
 * thread for every test). Made off the test thread with one connection logged in ahead
 * ({@link #ahead}), within the server's budget of such idle connections; further ones are
 * opened on demand, up to {@code cleanroom.postgres.pool-size} at once, and a
 * {@link #getConnection} beyond that waits (timed) for one to be closed, as a pool does.
 *
 * <p>{@code getConnection} works repeatedly and concurrently; closing a connection gives it
 * back (its open transaction rolled back, auto-commit and read-only restored; one whose
 * schema, catalog, isolation, holdability, type map, client info or network timeout was
 * changed is closed instead). {@link #close} (at the test's release, on the dropper) closes
 * every connection, also those the test did not close, and a closed instance refuses new
 * ones. Connections never outlive their test. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
final class RoleConnections implements DataSource, AutoCloseable {

    /** Logs a role in (connect and login bounded by cleanroom.postgres.connect-timeout). */
    @FunctionalInterface
    interface Login {
        Connection open() throws SQLException;
    }

    private static final Set<String> NOT_RESTORED = Set.of("setSchema", "setCatalog", "setTransactionIsolation",
            "setHoldability", "setTypeMap", "setClientInfo", "setNetworkTimeout");

    private final String role;
    private final Login login;
    private final int maxSize;
    private final long waitNanos;
    private final PostgresServer.Logins logins;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>(); // guarded by lock
    private final Set<Connection> lent = new HashSet<>(); // guarded by lock
    private int open; // guarded by lock: idle, lent and being opened
    private boolean closed; // guarded by lock
    private boolean holdsBudget; // guarded by lock: one connection logged in ahead, counted in the server's budget

    private RoleConnections(String role, Login login, int maxSize, long waitNanos, PostgresServer.Logins logins) {
        this.role = role;
        this.login = login;
        this.maxSize = maxSize;
        this.waitNanos = waitNanos;
        this.logins = logins;
    }

    /**
     * Connections of {@code role}, one of them logged in now (off the test thread) if the
     * server's budget of idle connections made ahead allows; a failed login ahead leaves the
     * first connection to be opened on demand.
     */
    static RoleConnections ahead(String role, Login login, int maxSize, long waitNanos, PostgresServer.Logins logins) {
        RoleConnections connections = new RoleConnections(role, login, maxSize, waitNanos, logins);
        if (logins.reserveAhead()) {
            try {
                Connection c = login.open();
                logins.loggedInAhead();
                connections.idle.push(c);
                connections.open = 1;
                connections.holdsBudget = true;
            } catch (SQLException e) {
                logins.releaseAhead(); // the test logs in on demand, and reports what fails then
            }
        }
        return connections;
    }

    /** Connections of {@code role} that log in on first use. */
    static RoleConnections onDemand(String role, Login login, int maxSize, long waitNanos, PostgresServer.Logins logins) {
        return new RoleConnections(role, login, maxSize, waitNanos, logins);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection physical = null;
        lock.lock();
        try {
            long left = waitNanos;
            while (physical == null) {
                if (closed) {
                    throw new SQLException("The connections of role " + role + " were closed when their test ended; a "
                            + "PostgresHandle and its DataSource are valid only during their test.", "08003");
                }
                if (!idle.isEmpty()) {
                    physical = idle.pop();
                    if (holdsBudget) {
                        holdsBudget = false;
                        logins.releaseAhead();
                    }
                    if (physical.isClosed()) { // the server ended it meanwhile
                        open--;
                        physical = null;
                        continue;
                    }
                    lent.add(physical);
                } else if (open < maxSize) {
                    open++;
                    break; // logged in below, outside the lock
                } else {
                    if (left <= 0) {
                        throw new SQLTransientConnectionException("All " + maxSize + " connections of role " + role
                                + " are in use and none was closed within " + TimeUnit.NANOSECONDS.toMillis(waitNanos)
                                + " ms: close the connections you take (try-with-resources), or raise "
                                + "cleanroom.postgres.pool-size.", "08001");
                    }
                    try {
                        left = returned.awaitNanos(left); // timed parking: no managed block on a test thread
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("Interrupted while waiting for a connection of role " + role, "08001", e);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (physical == null) {
            physical = loginOnDemand();
        }
        return logical(physical);
    }

    private Connection loginOnDemand() throws SQLException {
        Connection physical;
        try {
            physical = login.open();
            logins.loggedInOnDemand();
        } catch (SQLException | RuntimeException e) {
            lock.lock();
            try {
                open--;
                returned.signal();
            } finally {
                lock.unlock();
            }
            throw e;
        }
        lock.lock();
        try {
            if (!closed) {
                lent.add(physical);
                return physical;
            }
            open--;
        } finally {
            lock.unlock();
        }
        closeQuietly(physical);
        throw new SQLException("The connections of role " + role + " were closed when their test ended", "08003");
    }

    /** What the test gets: {@code physical} until it closes it, then given back. */
    private Connection logical(Connection physical) {
        AtomicBoolean done = new AtomicBoolean();
        boolean[] changed = new boolean[1];
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            switch (name) {
                case "close":
                    if (done.compareAndSet(false, true)) {
                        giveBack(physical, changed[0]);
                    }
                    return null;
                case "isClosed":
                    return done.get() || physical.isClosed();
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "connection of role " + role + (done.get() ? " (closed)" : "");
                default:
                    break;
            }
            if (done.get()) {
                if (name.equals("isValid")) {
                    return false;
                }
                throw new SQLException("Connection is closed", "08003");
            }
            if (NOT_RESTORED.contains(name)) {
                changed[0] = true;
            }
            try {
                return method.invoke(physical, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(RoleConnections.class.getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    /** A connection the test closed: kept for its next {@code getConnection} if it is clean, else closed. */
    private void giveBack(Connection physical, boolean changed) {
        boolean reusable = false;
        if (!changed) {
            try {
                if (!physical.isClosed()) {
                    if (!physical.getAutoCommit()) {
                        physical.rollback();
                        physical.setAutoCommit(true);
                    }
                    if (physical.isReadOnly()) {
                        physical.setReadOnly(false);
                    }
                    reusable = true;
                }
            } catch (SQLException e) {
                reusable = false;
            }
        }
        lock.lock();
        try {
            if (!lent.remove(physical)) {
                return; // closed with the instance already
            }
            if (reusable && !closed) {
                idle.push(physical);
                physical = null;
            } else {
                open--;
            }
            returned.signal();
        } finally {
            lock.unlock();
        }
        if (physical != null) {
            closeQuietly(physical);
        }
    }

    /** Closes every connection (ends those the test left open); on the dropper thread at the test's release. */
    @Override
    public void close() {
        List<Connection> idleOnes;
        List<Connection> lentOnes;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            idleOnes = new ArrayList<>(idle);
            lentOnes = new ArrayList<>(lent);
            idle.clear();
            lent.clear();
            open = 0;
            if (holdsBudget) {
                holdsBudget = false;
                logins.releaseAhead();
            }
            returned.signalAll();
        } finally {
            lock.unlock();
        }
        idleOnes.forEach(RoleConnections::closeQuietly);
        for (Connection c : lentOnes) { // a thread of the test may still be using it: cut it off
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // the server ended it already
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The test's DataSource logs in as role " + role + " only; use "
                + "getConnection(), or PostgresHandle.jdbcUrl(), user() and password() for a connection of your own");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // nothing is logged
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // bounded by cleanroom.postgres.connect-timeout
    }

    @Override
    public int getLoginTimeout() {
        return (int) TimeUnit.NANOSECONDS.toSeconds(waitNanos);
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("Not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "PostgreSQL connections of role " + role;
    }
}
