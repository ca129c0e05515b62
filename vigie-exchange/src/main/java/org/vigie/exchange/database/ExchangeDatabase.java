package org.vigie.exchange.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.sqlite.SQLiteDataSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ModuleMigrations;
import org.vigie.store.PostgresSchemaPool;
import org.vigie.store.StoreConfig;

import javax.sql.DataSource;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * The node's database as the exchange uses it: the SQLite file {@code exchange.db} of the embedded node, or
 * the schema {@value #POSTGRESQL_SCHEMA} of the store's PostgreSQL database when the store is there, so that
 * every replica of a node shares one exchange. The tables are created and migrated by Flyway (per vendor,
 * {@code db/exchange/<vendor>}, history table {@value #HISTORY_TABLE}); the DML is the same on both.
 *
 * <p>{@link #inTransaction} runs work in one transaction; {@link #dataSource()} hands out, on a thread inside
 * such a transaction, that transaction's connection (whose {@code close} does nothing), so components written
 * against a plain {@link DataSource}, such as the JDBC audit ledger, join the transaction unchanged. That is
 * how a release (outbox rows, sequence numbers, ledger entries) commits or rolls back as a whole.
 *
 * <p>Write transactions are serialised: within a process by a lock, and across processes by updating the one
 * row of {@code vigie_exchange_writer} first, whose row lock is held until commit. SQLite has one writer
 * anyway; on PostgreSQL this keeps every replica's sequence numbers and ledger chain built on the latest
 * committed state.
 */
public final class ExchangeDatabase
        implements AutoCloseable
{
    /** The PostgreSQL schema that holds the exchange's tables, beside the store's. */
    public static final String POSTGRESQL_SCHEMA = "vigie_exchange";
    /** Flyway's history table of the exchange's migrations (the store keeps its own). */
    public static final String HISTORY_TABLE = "vigie_exchange_schema_history";
    /** The PostgreSQL channel a transaction that queues outbox entries notifies (see {@link #announceQueued}). */
    public static final String OUTBOX_CHANNEL = "vigie_exchange_outbox";
    // One more than the four the work needs: a node's OutboxListener holds one connection for as long as it runs.
    private static final int POSTGRESQL_POOL_SIZE = 5;
    private static final int SQLITE_BUSY_TIMEOUT_MILLISECONDS = 30_000;

    private final DataSource raw;
    private final Vendor vendor;
    private final Optional<HikariDataSource> pool;
    private final DataSource joining;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    // Actions waiting for the calling thread's transaction to commit; a set, so that one action asked for many times runs once.
    private final ThreadLocal<Set<Runnable>> committed = new ThreadLocal<>();

    /** The database products the exchange runs on. */
    public enum Vendor
    {
        SQLITE, POSTGRESQL
    }

    private ExchangeDatabase(DataSource raw, Optional<HikariDataSource> pool)
    {
        this.raw = requireNonNull(raw, "dataSource is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.joining = new JoiningDataSource();
        this.vendor = migrate(raw);
    }

    /** The exchange on a data source the caller owns (and closes), its tables migrated to the current schema. */
    public static ExchangeDatabase on(DataSource dataSource)
    {
        return new ExchangeDatabase(dataSource, Optional.empty());
    }

    /** The exchange of an embedded node: its own SQLite file, created when missing. */
    public static ExchangeDatabase sqlite(Path file)
    {
        requireNonNull(file, "file is null");
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath().normalize());
        dataSource.setJournalMode("WAL");
        dataSource.setSynchronous("NORMAL");
        // The node and the CLI may write at once: wait for the other writer, and take the write lock when a
        // transaction begins, so that a transaction that reads first never fails to upgrade its lock.
        dataSource.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLISECONDS);
        dataSource.setTransactionMode("IMMEDIATE");
        // Otherwise the driver prepares and runs SELECT last_insert_rowid() after every INSERT, for getGeneratedKeys,
        // which Vigie never calls (keys it needs come back through RETURNING).
        dataSource.getConfig().setGetGeneratedKeys(false);
        // Pooled: opening a SQLite connection per transaction cost more than the transaction, and closing the
        // last open connection checkpoints the WAL (fsync) every time. Idle connections retire after a while.
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("vigie-exchange");
        hikari.setDataSource(dataSource);
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(0);
        hikari.setIdleTimeout(30_000);
        hikari.setConnectionTimeout(60_000);
        HikariDataSource pooled = new HikariDataSource(hikari);
        return new ExchangeDatabase(pooled, Optional.of(pooled));
    }

    /**
     * The exchange in the schema {@value #POSTGRESQL_SCHEMA} of the PostgreSQL database a store configuration
     * names, with its own small pool; {@link #close()} closes it.
     */
    public static ExchangeDatabase postgresql(StoreConfig store)
    {
        HikariDataSource dataSource = PostgresSchemaPool.open(store, "vigie-exchange", POSTGRESQL_SCHEMA, POSTGRESQL_POOL_SIZE, "exchange database");
        try {
            return new ExchangeDatabase(dataSource, Optional.of(dataSource));
        }
        catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** The exchange beside a store: in the store's PostgreSQL database, or in {@code sqliteFile} when the store is on SQLite. */
    public static ExchangeDatabase beside(StoreConfig store, Path sqliteFile)
    {
        return store.isSqlite() ? sqlite(sqliteFile) : postgresql(store);
    }

    public Vendor vendor()
    {
        return vendor;
    }

    /** A connection of its own, outside any transaction of this database (for leases). */
    Connection rawConnection()
            throws SQLException
    {
        return raw.getConnection();
    }

    /**
     * Called in the transaction that queued outbox entries: on PostgreSQL it notifies {@value #OUTBOX_CHANNEL},
     * which the server delivers to every listening replica only when (and if) that transaction commits, so a
     * replica woken by it always finds the entries; one notification per transaction however many entries. On
     * SQLite nothing: one process delivers, and the caller wakes it in-process after the commit.
     */
    public void announceQueued(Connection connection)
            throws SQLException
    {
        switch (vendor) {
            case SQLITE -> {
                // woken in-process by the caller
            }
            case POSTGRESQL -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("NOTIFY " + OUTBOX_CHANNEL);
                }
            }
        }
    }

    /**
     * Runs {@code action} once the calling thread's transaction commits, after its changes are visible to other
     * connections (never if it rolls back), or at once outside a transaction. The same action asked for several
     * times in one transaction runs once. Actions run on the committing thread and should only hand work over.
     */
    public void afterCommit(Runnable action)
    {
        requireNonNull(action, "action is null");
        Set<Runnable> pending = committed.get();
        if (current.get() == null || pending == null) {
            action.run();
            return;
        }
        pending.add(action);
    }

    /** Whether the database answers a trivial query now (readiness). */
    public boolean reachable()
    {
        try (Connection connection = raw.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return true;
        }
        catch (SQLException e) {
            return false;
        }
    }

    /** Closes the pool this database opened (PostgreSQL); a caller's data source is left open. */
    @Override
    public void close()
    {
        pool.ifPresent(HikariDataSource::close);
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
            takeWriterRow(connection);
            current.set(connection);
            Set<Runnable> pending = new LinkedHashSet<>();
            committed.set(pending);
            T result;
            try {
                result = work.run(connection);
                connection.commit();
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
                committed.remove();
            }
            // Committed, so what they are told about is visible to every connection; listeners only hand work over.
            pending.forEach(Runnable::run);
            return result;
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

    /**
     * Runs DDL statements, each on its own. Kept for tables outside the Flyway migrations; the exchange's own
     * tables already exist when this runs, so their {@code IF NOT EXISTS} statements change nothing.
     */
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

    private static void takeWriterRow(Connection connection)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE vigie_exchange_writer SET transactions = transactions + 1 WHERE id = 1")) {
            statement.executeUpdate();
        }
    }

    private static Vendor migrate(DataSource dataSource)
    {
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        }
        catch (SQLException e) {
            throw failure("connect", e);
        }
        Vendor vendor = switch (product) {
            case "SQLite" -> Vendor.SQLITE;
            case "PostgreSQL" -> Vendor.POSTGRESQL;
            default -> throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "exchange database: '" + product + "' is not supported (SQLite or PostgreSQL)");
        };
        // Files written before the migrations existed hold the tables without a history: version 0 marks them,
        // then V1 (all IF NOT EXISTS on SQLite) completes them.
        ModuleMigrations.migrate(dataSource, vendor == Vendor.POSTGRESQL, "db/exchange", HISTORY_TABLE, POSTGRESQL_SCHEMA,
                configuration -> configuration.baselineOnMigrate(true).baselineVersion("0"), "exchange database");
        return vendor;
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
