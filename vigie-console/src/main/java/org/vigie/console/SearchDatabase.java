package org.vigie.console;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ModuleMigrations;
import org.vigie.store.PostgresSchemaPool;
import org.vigie.store.StoreConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Where the console's persistent search index lives: its own SQLite file ({@value #SQLITE_FILE} in the data
 * directory) beside an SQLite store, so that indexing never takes the store's single writer lock, or the
 * schema {@value #POSTGRESQL_SCHEMA} of the store's PostgreSQL database, shared by the node's replicas.
 * Tables are created by Flyway (per vendor, {@code db/search/<vendor>}, history table
 * {@value #HISTORY_TABLE}). Give it to {@link ConsoleRoutes#create(org.vigie.store.ObjectStore, ObjectEvents,
 * java.time.InstantSource, org.vigie.taxii.auth.PasswordHasher, java.util.function.Supplier, ConsoleConfig, SearchDatabase)};
 * the caller closes it after the console.
 */
public final class SearchDatabase
        implements AutoCloseable
{
    public static final String SQLITE_FILE = "search.db";
    public static final String POSTGRESQL_SCHEMA = "vigie_search";
    static final String HISTORY_TABLE = "vigie_search_schema_history";
    private static final int POOL_SIZE = 4;
    private static final int SQLITE_BUSY_TIMEOUT_MILLISECONDS = 30_000;
    private static final int SQLITE_CACHE_KIBIBYTES = 32 * 1024;
    private static final int WAL_CHECKPOINT_PAGES = 16_384;

    enum Vendor
    {
        SQLITE, POSTGRESQL
    }

    private final HikariDataSource dataSource;
    private final Vendor vendor;
    private final String location;
    private final Optional<Path> temporaryFile;

    private SearchDatabase(HikariDataSource dataSource, Vendor vendor, String location, Optional<Path> temporaryFile)
    {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.location = location;
        this.temporaryFile = temporaryFile;
        try {
            migrate();
        }
        catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** The index in its own SQLite file, created when missing. */
    public static SearchDatabase sqlite(Path file)
    {
        return sqlite(file, Optional.empty());
    }

    /** The index in the schema {@value #POSTGRESQL_SCHEMA} of the PostgreSQL database a store configuration names. */
    public static SearchDatabase postgresql(StoreConfig store)
    {
        HikariDataSource pooled = PostgresSchemaPool.open(store, "vigie-search", POSTGRESQL_SCHEMA, POOL_SIZE, "search index database");
        String location = PostgresSchemaPool.location(store) + " (schema " + POSTGRESQL_SCHEMA + ")";
        return new SearchDatabase(pooled, Vendor.POSTGRESQL, location, Optional.empty());
    }

    /** The index beside a store: in the store's PostgreSQL database, or in {@value #SQLITE_FILE} of {@code dataDirectory}. */
    public static SearchDatabase beside(StoreConfig store, Path dataDirectory)
    {
        requireNonNull(store, "store is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        return store.isSqlite() ? sqlite(dataDirectory.resolve(SQLITE_FILE)) : postgresql(store);
    }

    /** An index in a temporary SQLite file deleted on close: for a console given no database, rebuilt at each start. */
    static SearchDatabase temporary()
    {
        try {
            Path file = Files.createTempFile("vigie-search-", ".db");
            return sqlite(file, Optional.of(file));
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "search index: cannot create a temporary database file: " + e.getMessage(), e);
        }
    }

    private static SearchDatabase sqlite(Path file, Optional<Path> temporaryFile)
    {
        requireNonNull(file, "file is null");
        Path absolute = file.toAbsolutePath().normalize();
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + absolute);
        sqlite.setJournalMode("WAL");
        // The index is rebuilt from the store when lost, so a commit need not wait for the disk.
        sqlite.setSynchronous("NORMAL");
        sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLISECONDS);
        // Entries are keyed by random object ids: with SQLite's default 2 MiB page cache, most inserts of a large
        // index reloaded B-tree pages. Native memory, not heap: at most POOL_SIZE times this.
        sqlite.setCacheSize(-SQLITE_CACHE_KIBIBYTES);
        // Checkpoint every 64 MiB of log rather than SQLite's 4 MiB: word-index pages rewritten by consecutive
        // indexing commits are then copied back once.
        sqlite.getConfig().setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(WAL_CHECKPOINT_PAGES));
        // Writers take the write lock when their transaction begins: a transaction that reads first never fails to upgrade.
        sqlite.setTransactionMode("IMMEDIATE");
        // Otherwise the driver prepares and runs SELECT last_insert_rowid() after every INSERT, for getGeneratedKeys,
        // which Vigie never calls (keys it needs come back through RETURNING).
        sqlite.getConfig().setGetGeneratedKeys(false);
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("vigie-search");
        hikari.setDataSource(sqlite);
        hikari.setMaximumPoolSize(POOL_SIZE);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(60_000);
        return new SearchDatabase(new HikariDataSource(hikari), Vendor.SQLITE, absolute.toString(), temporaryFile);
    }

    Connection connection()
            throws SQLException
    {
        return dataSource.getConnection();
    }

    Vendor vendor()
    {
        return vendor;
    }

    /** The file or database, for messages (never a password). */
    public String location()
    {
        return location;
    }

    @Override
    public void close()
    {
        dataSource.close();
        temporaryFile.ifPresent(file -> {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                try {
                    Files.deleteIfExists(Path.of(file + suffix));
                }
                catch (IOException e) {
                    // A temporary file left behind costs disk only; the next start makes a new one.
                }
            }
        });
    }

    private void migrate()
    {
        ModuleMigrations.migrate(dataSource, vendor == Vendor.POSTGRESQL, "db/search", HISTORY_TABLE, POSTGRESQL_SCHEMA, UnaryOperator.identity(),
                "search index database " + location);
    }
}
