package org.vigie.exchange.database;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import javax.sql.DataSource;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * The node's database as the exchange uses it. {@link #inTransaction} runs work in one transaction;
 * {@link #dataSource()} hands out, on a thread inside such a transaction, that transaction's
 * connection (whose {@code close} does nothing), so components written against a plain
 * {@link DataSource}, such as the JDBC audit ledger, join the transaction unchanged. That is how a
 * release (outbox rows, sequence numbers, ledger entries) commits or rolls back as a whole.
 *
 * <p>Write transactions of one node are serialised by a lock: SQLite has one writer anyway, and a
 * transaction that reads before it writes would otherwise fail to upgrade its lock under contention.
 */
public final class ExchangeDatabase
{
    private final DataSource raw;
    private final DataSource joining;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    private ExchangeDatabase(DataSource raw)
    {
        this.raw = requireNonNull(raw, "dataSource is null");
        this.joining = new JoiningDataSource();
    }

    public static ExchangeDatabase on(DataSource dataSource)
    {
        return new ExchangeDatabase(dataSource);
    }

    /** A data source that joins the calling thread's transaction, if it has one. */
    public DataSource dataSource()
    {
        return joining;
    }

    /**
     * Runs {@code work} in a transaction and commits it; rolls back if it throws. Nested calls on the
     * same thread join the outer transaction.
     */
    public <T> T inTransaction(String what, SqlWork<T> work)
    {
        requireNonNull(work, "work is null");
        Connection joined = current.get();
        if (joined != null) {
            try {
                return work.run(joined);
            }
            catch (SQLException e) {
                throw failure(what, e);
            }
        }
        writeLock.lock();
        try (Connection connection = raw.getConnection()) {
            connection.setAutoCommit(false);
            current.set(connection);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            }
            catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                if (e instanceof SQLException sqlException) {
                    throw failure(what, sqlException);
                }
                throw e;
            }
            finally {
                current.remove();
            }
        }
        catch (SQLException e) {
            throw failure(what, e);
        }
        finally {
            writeLock.unlock();
        }
    }

    /** Runs a read outside any transaction (or inside the current one). */
    public <T> T read(String what, SqlWork<T> work)
    {
        Connection joined = current.get();
        if (joined != null) {
            return inTransaction(what, work);
        }
        try (Connection connection = raw.getConnection()) {
            return work.run(connection);
        }
        catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs DDL statements, each on its own; used by components to create their tables if missing. */
    public void createTables(String component, String... statements)
    {
        inTransaction("create the tables of " + component, connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            return null;
        });
    }

    public static VigieException failure(String what, SQLException e)
    {
        return new VigieException(ErrorCode.STORE_UNAVAILABLE, "exchange database: cannot " + what + ": " + e.getMessage(), e);
    }

    private static void rollback(Connection connection, Throwable cause)
    {
        try {
            connection.rollback();
        }
        catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private final class JoiningDataSource
            implements DataSource
    {
        @Override
        public Connection getConnection()
                throws SQLException
        {
            Connection joined = current.get();
            if (joined == null) {
                return raw.getConnection();
            }
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                switch (method.getName()) {
                    case "close":
                        // The transaction owns the connection; the joining component only borrows it.
                        return null;
                    case "isClosed":
                        return false;
                    default:
                        try {
                            return method.invoke(joined, arguments);
                        }
                        catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                }
            });
        }

        @Override
        public Connection getConnection(String username, String password)
                throws SQLException
        {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter()
                throws SQLException
        {
            return raw.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out)
                throws SQLException
        {
            raw.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds)
                throws SQLException
        {
            raw.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout()
                throws SQLException
        {
            return raw.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger()
                throws SQLFeatureNotSupportedException
        {
            return raw.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type)
                throws SQLException
        {
            return raw.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type)
                throws SQLException
        {
            return raw.isWrapperFor(type);
        }
    }
}
