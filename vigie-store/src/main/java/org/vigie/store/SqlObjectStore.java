package org.vigie.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.StixObject;
import org.vigie.store.StoreEvents.PendingEvent;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventLog;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The store on SQLite or PostgreSQL. Both run the same DML; only the schema (Flyway locations
 * {@code db/migration/sqlite} and {@code db/migration/postgresql}), the connection set-up and the way an add's
 * new rows reach the server ({@link ObjectRowWriter}: the same probe, rows and markers) differ.
 *
 * <p>Dates added are assigned inside the write transaction from the collection's {@code last_date_added},
 * which the transaction locks first (a row lock on PostgreSQL, the database write lock on SQLite), so they
 * strictly increase per collection even with several writing processes, and a reader never sees a date
 * added below one it has already seen committed.
 */
final class SqlObjectStore
        implements ObjectStore
{
    // Rows written at once inside one transaction: bounds memory for very large imports. PostgreSQL's chunk is the
    // importer's default transaction, so that an import transaction is one COPY.
    private static final int SQLITE_CHUNK_SIZE = 2_000;
    private static final int POSTGRESQL_CHUNK_SIZE = 10_000;
    // Id hashes per probe query of the row writer (one statement shape for both vendors).
    private static final int PROBE_SIZE = 2_000;
    private static final int BUSY_TIMEOUT_MILLISECONDS = 30_000;
    // The writer updates three indexes in random key order during imports: a larger page cache keeps them hot.
    private static final int WRITER_CACHE_KIBIBYTES = 128 * 1024;
    private static final int READER_CACHE_KIBIBYTES = 16 * 1024;
    // The writer never checkpoints (SqliteCheckpointer does, on a thread of its own); 0 turns SQLite's own off.
    private static final int NO_AUTOMATIC_CHECKPOINT = 0;
    private static final int CHECKPOINT_CACHE_KIBIBYTES = 2 * 1024;
    // Beyond this many frames (1 GiB of 16 KiB pages; 256 MiB in a store created with 4 KiB pages) the log is
    // restarted instead of left to grow.
    private static final long WAL_RESTART_FRAMES = 65_536;
    private static final Duration CHECKPOINT_COALESCE = Duration.ofMillis(200);
    // A RESTART checkpoint holds new writers back while it waits for readers: it gives up after this long and
    // is tried again after a later commit, so a slow reader never stalls writes for the full busy timeout.
    private static final int CHECKPOINT_BUSY_TIMEOUT_MILLISECONDS = 1_000;
    private static final long WAL_SIZE_LIMIT_BYTES = 64L << 20;
    private static final int PAGE_SIZE_BYTES = 16 * 1024;

    private static final int LATEST_UNSETTLED = ObjectRowWriter.LATEST_UNSETTLED;
    // Sets the latest marker of every row of one object from its other rows (see V4__latest_version.sql): run
    // after an add to an object that already had rows, or several in one batch, and after a delete.
    private static final String MARK_LATEST = """
            UPDATE objects SET latest = CASE WHEN EXISTS (SELECT 1 FROM objects n
                    WHERE n.collection_key = objects.collection_key AND n.id_hash = objects.id_hash AND n.object_id = objects.object_id
                    AND (n.version > objects.version OR n.spec_version > objects.spec_version)) THEN 0 ELSE 1 END
            WHERE collection_key = ? AND id_hash = ? AND object_id = ?""";
    // Read by position in storedObject.
    private static final String OBJECT_COLUMNS = "o.object_id, o.type, o.spec_version, o.created, o.modified, o.date_added, o.json";
    private static final String SERIALIZED_COLUMNS = "o.date_added, o.json";

    // The migration scripts of each vendor folder, in order; SqlSchemaHistoryTest checks this list against the folders.
    static final List<String> MIGRATIONS = List.of("V1__schema.sql", "V2__events.sql", "V3__event_rowid.sql", "V4__latest_version.sql", "V5__statistics.sql", "V6__virtual_document.sql", "V7__object_id_hash.sql");

    // PostgreSQL's statistics are refreshed once this many rows, and a tenth of the rows the last refresh
    // counted, were stored since: every 10,000-object import batch paying an ANALYZE (a 30,000-row sample)
    // made it the largest cost of a bulk import, while a tenth keeps the date-range estimates close.
    private static final int ANALYZE_THRESHOLD = 10_000;
    private static final int ANALYZE_FRACTION = 10;

    enum Vendor
    {
        SQLITE,
        POSTGRESQL
    }

    private final InstantSource clock;
    private final Vendor vendor;
    private final String location;
    private final List<HikariDataSource> pools;
    private final Jdbi writer;
    private final Jdbi reader;
    // The reader's pool itself, for the page query (see page).
    private final DataSource readerPool;
    // Collections are never deleted or re-keyed, so a key once read stays right.
    private final Map<String, Long> collectionKeys = new ConcurrentHashMap<>();
    private final SqlEventLog events;
    // SQLite only: checkpoints the write-ahead log after commits, off the writer's thread.
    private final Optional<SqliteCheckpointer> checkpointer;
    // Tests only: a failure raised at the end of the next write transaction, after its events are appended.
    private final AtomicReference<RuntimeException> injectedFailure = new AtomicReference<>();
    // PostgreSQL only: rows stored by this process since its last ANALYZE, and the row estimate that ANALYZE left.
    private long storedSinceAnalyze;
    private long rowsAtAnalyze;

    private SqlObjectStore(InstantSource clock, Vendor vendor, String location, List<HikariDataSource> pools, Jdbi writer, DataSource readerPool,
            Optional<SqliteCheckpointer> checkpointer)
    {
        this.checkpointer = requireNonNull(checkpointer, "checkpointer is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.location = requireNonNull(location, "location is null");
        this.pools = List.copyOf(pools);
        this.writer = requireNonNull(writer, "writer is null");
        this.readerPool = requireNonNull(readerPool, "readerPool is null");
        this.reader = Jdbi.create(readerPool);
        this.events = new SqlEventLog(writer, reader, location);
    }

    static SqlObjectStore open(StoreConfig config, InstantSource clock)
    {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        String location = config.url().replaceAll("password=[^&;]*", "password=****");
        List<HikariDataSource> pools = new ArrayList<>();
        Optional<SqliteCheckpointer> checkpointer = Optional.empty();
        try {
            HikariDataSource writerPool;
            HikariDataSource readerPool;
            if (config.isSqlite()) {
                setPageSizeOfNewFile(config, location);
                // One writer connection: SQLite allows one writer at a time anyway, and queueing writers on the
                // pool is cheaper than letting them spin on SQLITE_BUSY. IMMEDIATE transactions take the write lock
                // at BEGIN, so a transaction never fails upgrading from read to write when another process writes.
                writerPool = pool("vigie-store-writer", 1, sqliteDataSource(config, SQLiteConfig.TransactionMode.IMMEDIATE, WRITER_CACHE_KIBIBYTES, BUSY_TIMEOUT_MILLISECONDS));
                pools.add(writerPool);
                readerPool = pool("vigie-store-reader", config.poolSize(), sqliteDataSource(config, SQLiteConfig.TransactionMode.DEFERRED, READER_CACHE_KIBIBYTES, BUSY_TIMEOUT_MILLISECONDS));
                pools.add(readerPool);
                checkpointer = Optional.of(new SqliteCheckpointer(sqliteDataSource(config, SQLiteConfig.TransactionMode.DEFERRED, CHECKPOINT_CACHE_KIBIBYTES, CHECKPOINT_BUSY_TIMEOUT_MILLISECONDS), location, WAL_RESTART_FRAMES, CHECKPOINT_COALESCE));
            }
            else {
                HikariConfig hikari = new HikariConfig();
                hikari.setPoolName("vigie-store");
                // Text binds into JSONB and other typed columns without casts, so the DML stays vendor-neutral.
                // Batches travel as multi-row inserts, rewritten by the driver so that the DML stays the same; the
                // driver then reports no per-row counts, and addObjects reads back which rows it inserted.
                hikari.setJdbcUrl(config.url() + (config.url().contains("?") ? "&" : "?") + "stringtype=unspecified&reWriteBatchedInserts=true");
                config.user().ifPresent(hikari::setUsername);
                config.password().ifPresent(hikari::setPassword);
                hikari.setMaximumPoolSize(config.poolSize() + 1);
                hikari.setMinimumIdle(1);
                writerPool = new HikariDataSource(hikari);
                pools.add(writerPool);
                readerPool = writerPool;
            }
            Vendor vendor = migrate(writerPool, location);
            SqlObjectStore store = new SqlObjectStore(clock, vendor, location, pools, Jdbi.create(writerPool), readerPool, checkpointer);
            checkpointer.ifPresent(SqliteCheckpointer::start);
            return store;
        }
        catch (RuntimeException e) {
            pools.forEach(HikariDataSource::close);
            if (e instanceof VigieException) {
                throw e;
            }
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "store " + location + ": cannot open: " + e.getMessage(), e);
        }
    }

    private static SQLiteDataSource sqliteDataSource(StoreConfig config, SQLiteConfig.TransactionMode transactionMode, int cacheKibibytes, int busyTimeoutMilliseconds)
    {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL, not NORMAL: with WAL, NORMAL already survives a killed process (the WAL is in the OS cache), but
        // may lose the last commits on power loss or an OS crash; addObjects promises durability on return, and
        // one fsync per commit costs little because imports commit large batches.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // No checkpoint inside a commit (see SqliteCheckpointer). The size limit trims the WAL file back after a
        // checkpoint so that it does not keep its peak size on disk.
        sqlite.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(NO_AUTOMATIC_CHECKPOINT));
        sqlite.setPragma(SQLiteConfig.Pragma.JOURNAL_SIZE_LIMIT, Long.toString(WAL_SIZE_LIMIT_BYTES));
        sqlite.setBusyTimeout(busyTimeoutMilliseconds);
        sqlite.setTransactionMode(transactionMode);
        // Negative: a size in KiB rather than pages.
        sqlite.setCacheSize(-cacheKibibytes);
        // Otherwise the driver prepares and runs SELECT last_insert_rowid() after every INSERT, for getGeneratedKeys,
        // which Vigie never calls (keys it needs come back through RETURNING).
        sqlite.setGetGeneratedKeys(false);
        SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
        dataSource.setUrl(config.url());
        return dataSource;
    }

    /**
     * Gives a new (empty) SQLite file 16 KiB pages, before anything else writes its header: the pools' connections
     * switch to WAL as they open, which fixes the page size of an empty file at the default. An existing store keeps
     * its page size. Documents of about 1 KB fill a 16 KiB page to 98 % instead of 88 %, and each page holds four
     * times as many index entries: fewer pages to balance and log per object stored.
     */
    private static void setPageSizeOfNewFile(StoreConfig config, String location)
    {
        SQLiteDataSource plain = new SQLiteDataSource();
        plain.setUrl(config.url());
        try (Connection connection = plain.getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet pages = statement.executeQuery("PRAGMA page_count")) {
                if (pages.next() && pages.getLong(1) > 0) {
                    return;
                }
            }
            statement.execute("PRAGMA page_size = " + PAGE_SIZE_BYTES);
            // Writes the header, with the page size, into the empty file.
            statement.execute("PRAGMA journal_mode = WAL");
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "store " + location + ": cannot create the database file: " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(String name, int size, SQLiteDataSource dataSource)
    {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setDataSource(dataSource);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(1);
        // A large import holds the single writer connection for as long as it runs.
        hikari.setConnectionTimeout(300_000);
        return new HikariDataSource(hikari);
    }

    private static Vendor migrate(HikariDataSource dataSource, String location)
    {
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "store " + location + ": cannot connect: " + e.getMessage(), e);
        }
        Vendor vendor = switch (product) {
            case "SQLite" -> Vendor.SQLITE;
            case "PostgreSQL" -> Vendor.POSTGRESQL;
            default -> throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "store " + location + ": database '" + product + "' is not supported (SQLite or PostgreSQL)");
        };
        String folder = switch (vendor) {
            case SQLITE -> "sqlite";
            case POSTGRESQL -> "postgresql";
        };
        if (schemaIsCurrent(dataSource, folder)) {
            return vendor;
        }
        try {
            FluentConfiguration configuration = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/" + folder);
            configuration = switch (vendor) {
                // V7 computes the hashes of stored ids with a function of the store's own.
                case SQLITE -> configuration.callbacks(new ObjectIdHash.SqliteFunction());
                case POSTGRESQL -> configuration;
            };
            configuration.load().migrate();
        }
        catch (FlywayException e) {
            throw new VigieException(ErrorCode.STORE_MIGRATION_FAILED, "store " + location + ": schema migration failed: " + e.getMessage(), e);
        }
        return vendor;
    }

    /**
     * Whether the schema history already lists every migration of {@code folder}, each applied successfully with
     * the checksum of its script as shipped. Then Flyway has nothing to migrate or report, and it is skipped:
     * loading and scanning with it took about half a second of every start. Any doubt (no history table, a
     * missing, failed, extra or edited migration, an unreadable script) answers false, and Flyway runs as before,
     * migrating or reporting the problem.
     */
    static boolean schemaIsCurrent(javax.sql.DataSource dataSource, String folder)
    {
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String script : MIGRATIONS) {
            Optional<Integer> checksum = flywayChecksum("db/migration/" + folder + "/" + script);
            if (checksum.isEmpty()) {
                return false;
            }
            expected.put(script, checksum.get());
        }
        Map<String, Integer> applied = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT script, checksum, success, type FROM flyway_schema_history ORDER BY installed_rank");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                if (!rows.getBoolean(3) || !"SQL".equals(rows.getString(4))) {
                    return false;
                }
                int checksum = rows.getInt(2);
                if (rows.wasNull()) {
                    return false;
                }
                applied.put(rows.getString(1), checksum);
            }
        }
        catch (SQLException e) {
            // No history yet (a new database) or an unexpected layout: Flyway decides.
            return false;
        }
        return applied.equals(expected);
    }

    /** Flyway's checksum of a SQL script: CRC32 of each line's UTF-8 bytes, line breaks and a leading BOM excluded. */
    static Optional<Integer> flywayChecksum(String resource)
    {
        java.io.InputStream stream = SqlObjectStore.class.getClassLoader().getResourceAsStream(resource);
        if (stream == null) {
            return Optional.empty();
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(stream, java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                crc.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        catch (java.io.IOException e) {
            return Optional.empty();
        }
        return Optional.of((int) crc.getValue());
    }

    // --- collections ---

    @Override
    public CollectionInfo createCollection(CollectionInfo collection)
    {
        requireNonNull(collection, "collection is null");
        int inserted = write("create collection " + collection.id(), () -> writer.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO collections (id, title, description, alias, media_types, last_date_added)
                        VALUES (:id, :title, :description, :alias, :mediaTypes, NULL)
                        ON CONFLICT (id) DO NOTHING""")
                .bind("id", collection.id())
                .bind("title", collection.title())
                .bind("description", collection.description().orElse(null))
                .bind("alias", collection.alias().orElse(null))
                .bind("mediaTypes", StoreJson.strings(collection.mediaTypes()))
                .execute()));
        if (inserted == 0) {
            throw new VigieException(ErrorCode.COLLECTION_EXISTS, "collection " + collection.id() + " already exists");
        }
        return collection;
    }

    @Override
    public List<CollectionInfo> listCollections()
    {
        return call("list collections", () -> reader.withHandle(handle -> handle
                .createQuery("SELECT id, title, description, alias, media_types FROM collections ORDER BY collection_key")
                .map((row, context) -> collectionInfo(row))
                .list()));
    }

    @Override
    public Optional<CollectionInfo> findCollection(String collectionId)
    {
        requireNonNull(collectionId, "collectionId is null");
        return call("find collection " + collectionId, () -> reader.withHandle(handle -> handle
                .createQuery("SELECT id, title, description, alias, media_types FROM collections WHERE id = :id")
                .bind("id", collectionId)
                .map((row, context) -> collectionInfo(row))
                .findOne()));
    }

    private static CollectionInfo collectionInfo(ResultSet row)
            throws SQLException
    {
        return new CollectionInfo(
                row.getString("id"),
                row.getString("title"),
                Optional.ofNullable(row.getString("description")),
                Optional.ofNullable(row.getString("alias")),
                StoreJson.parseStrings(row.getString("media_types")));
    }

    private long collectionKey(String collectionId)
    {
        requireNonNull(collectionId, "collectionId is null");
        Long cached = collectionKeys.get(collectionId);
        if (cached != null) {
            return cached;
        }
        Optional<Long> key = call("find collection " + collectionId, () -> reader.withHandle(handle -> handle
                .createQuery("SELECT collection_key FROM collections WHERE id = :id")
                .bind("id", collectionId)
                .mapTo(Long.class)
                .findOne()));
        long found = key.orElseThrow(() -> collectionNotFound(collectionId));
        collectionKeys.put(collectionId, found);
        return found;
    }

    private static VigieException collectionNotFound(String collectionId)
    {
        return new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collectionId + " does not exist");
    }

    // --- objects ---

    @Override
    public List<AddOutcome> addObjects(String collectionId, List<StixObject> objects)
    {
        List<StixObject> copy = List.copyOf(requireNonNull(objects, "objects is null"));
        return addObjectChunks(collectionId, List.of(copy).iterator());
    }

    @Override
    public List<AddOutcome> addObjectChunks(String collectionId, Iterator<List<StixObject>> chunks)
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(chunks, "chunks is null");
        List<AddOutcome> outcomes = write("add objects to collection " + collectionId, () -> writer.inTransaction(handle -> addInTransaction(handle, collectionId, chunks)));
        long stored = outcomes.stream().filter(outcome -> outcome.result() == AddOutcome.Result.STORED).count();
        if (stored > 0) {
            events.committed();
        }
        refreshStatistics(stored);
        return outcomes;
    }

    /**
     * After a bulk import PostgreSQL's planner, until autovacuum catches up, underestimates date ranges and
     * sorts the whole range instead of walking the date index for a page (seen: 800 ms instead of 0.5 ms for a
     * page over 50,000 objects). SQLite plans pages from the index order without statistics.
     */
    private void refreshStatistics(long stored)
    {
        switch (vendor) {
            case SQLITE -> { }
            case POSTGRESQL -> {
                boolean due;
                synchronized (this) {
                    storedSinceAnalyze += stored;
                    due = storedSinceAnalyze >= Math.max(ANALYZE_THRESHOLD, rowsAtAnalyze / ANALYZE_FRACTION);
                    if (due) {
                        storedSinceAnalyze = 0;
                    }
                }
                if (due) {
                    long rows = call("analyze objects", () -> writer.withHandle(handle -> {
                        handle.execute("ANALYZE objects");
                        return handle.createQuery("SELECT reltuples FROM pg_class WHERE oid = 'objects'::regclass").mapTo(Double.class).one().longValue();
                    }));
                    synchronized (this) {
                        rowsAtAnalyze = rows;
                    }
                }
            }
        }
    }

    private List<AddOutcome> addInTransaction(Handle handle, String collectionId, Iterator<List<StixObject>> chunks)
    {
        // Locks the collection's row first: concurrent writers of the collection queue here.
        Optional<long[]> state = handle.createQuery("""
                        UPDATE collections SET last_date_added = last_date_added WHERE id = :id
                        RETURNING collection_key, last_date_added""")
                .bind("id", collectionId)
                .map((row, context) -> {
                    long key = row.getLong(1);
                    long last = row.getLong(2);
                    return row.wasNull() ? new long[] {key} : new long[] {key, last};
                })
                .findOne();
        long[] collection = state.orElseThrow(() -> collectionNotFound(collectionId));
        long key = collection[0];
        long now = StoreText.toMicros(clock.instant());
        // Each object of a call reserves one microsecond, whether it turns out new or a duplicate.
        long base = collection.length == 1 ? now : Math.max(now, collection[1] + 1);

        List<AddOutcome> outcomes = new ArrayList<>();
        // A row is stored as the latest at once when its object has no other row (the common case of an import),
        // else with the marker unsettled (the row writer tells which); the markers of those objects are set from all
        // their rows at the end.
        Set<String> unsettled = new LinkedHashSet<>();
        int chunkSize = switch (vendor) {
            case SQLITE -> SQLITE_CHUNK_SIZE;
            case POSTGRESQL -> POSTGRESQL_CHUNK_SIZE;
        };
        // Plain JDBC batches on the transaction's connection: the import hot path, where per-row binding
        // overhead of the fluent API showed in the throughput.
        Connection connection = handle.getConnection();
        try (ObjectRowWriter rows = ObjectRowWriter.create(vendor, connection, PROBE_SIZE)) {
            // The caller's chunks are regrouped into statement chunks of the vendor's size; one of each is held.
            List<StixObject> pending = new ArrayList<>(chunkSize);
            while (chunks.hasNext()) {
                for (StixObject object : requireNonNull(chunks.next(), "a chunk is null")) {
                    pending.add(object);
                    if (pending.size() == chunkSize) {
                        writeChunk(rows, key, base + outcomes.size(), pending, unsettled, outcomes);
                        pending.clear();
                    }
                }
            }
            if (!pending.isEmpty()) {
                writeChunk(rows, key, base + outcomes.size(), pending, unsettled, outcomes);
            }
            // Every row stored before the connection is used for anything else.
            rows.awaitWrites();
            if (outcomes.isEmpty()) {
                return List.of();
            }
            settleLatest(connection, key, unsettled);
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "store " + location + ": add objects to collection " + collectionId + " failed: " + e.getMessage(), e);
        }
        handle.createUpdate("UPDATE collections SET last_date_added = :last WHERE collection_key = :key")
                .bind("last", base + outcomes.size() - 1)
                .bind("key", key)
                .execute();
        long stored = outcomes.stream().filter(outcome -> outcome.result() == AddOutcome.Result.STORED).count();
        events.appendStored(handle, collectionId, key, base, base + outcomes.size() - 1, stored);
        throwInjectedFailure();
        return outcomes;
    }

    /** Writes one statement chunk whose first object is offered {@code firstDateAdded}; appends its outcomes. */
    private static void writeChunk(ObjectRowWriter rows, long key, long firstDateAdded, List<StixObject> chunk, Set<String> unsettled, List<AddOutcome> outcomes)
            throws SQLException
    {
        for (int index = 0; index < chunk.size(); index++) {
            StixObject object = chunk.get(index);
            String createdKey = object.created().isPresent() ? StoreText.instantKey(object.created().get()) : null;
            String modifiedKey = object.modified().isPresent() ? StoreText.instantKey(object.modified().get()) : null;
            // The version is modified, else created (StixObject.version()): the same text, not formatted again.
            String versionKey = modifiedKey != null ? modifiedKey : createdKey != null ? createdKey : StoreText.UNVERSIONED;
            rows.add(new ObjectRowWriter.Row(object, ObjectIdHash.of(object.id()), versionKey, createdKey, modifiedKey, firstDateAdded + index));
        }
        // A row holds the date it was offered exactly when it was inserted; a duplicate gets the stored version's.
        long[] datesAdded = rows.write(key, unsettled);
        for (int index = 0; index < chunk.size(); index++) {
            StixObject object = chunk.get(index);
            AddOutcome.Result result = datesAdded[index] == firstDateAdded + index ? AddOutcome.Result.STORED : AddOutcome.Result.DUPLICATE;
            outcomes.add(new AddOutcome(object.id(), object.version(), result, StoreText.fromMicros(datesAdded[index])));
        }
    }

    /** Sets the latest markers of every row of the objects {@code unsettled}, from all their rows. */
    private static void settleLatest(Connection connection, long key, Set<String> unsettled)
            throws SQLException
    {
        if (unsettled.isEmpty()) {
            return;
        }
        try (PreparedStatement markLatest = connection.prepareStatement(MARK_LATEST)) {
            for (String objectId : unsettled) {
                markLatest.setLong(1, key);
                markLatest.setLong(2, ObjectIdHash.of(objectId));
                markLatest.setString(3, objectId);
                markLatest.addBatch();
            }
            markLatest.executeBatch();
        }
    }

    @Override
    public ObjectPage findObjects(String collectionId, ObjectQuery query)
    {
        List<StoredObject> rows = page(collectionId, query, OBJECT_COLUMNS, SqlObjectStore::storedObject);
        boolean more = rows.size() > query.limit();
        List<StoredObject> page = more ? rows.subList(0, query.limit()) : rows;
        Optional<String> next = more ? Optional.of(StoreText.encodeCursor(page.get(page.size() - 1).dateAdded())) : Optional.empty();
        return new ObjectPage(page, more, next);
    }

    @Override
    public SerializedPage findSerializedObjects(String collectionId, ObjectQuery query)
    {
        // The stored text's bytes as the database holds them (UTF-8 in both vendors): no string decoded per object.
        List<SerializedRow> rows = page(collectionId, query, SERIALIZED_COLUMNS, row -> new SerializedRow(row.getLong(1), row.getBytes(2)));
        boolean more = rows.size() > query.limit();
        List<SerializedRow> page = more ? rows.subList(0, query.limit()) : rows;
        List<byte[]> objects = new ArrayList<>(page.size());
        for (SerializedRow row : page) {
            objects.add(row.json());
        }
        Optional<Instant> first = page.isEmpty() ? Optional.empty() : Optional.of(StoreText.fromMicros(page.get(0).dateAdded()));
        Optional<Instant> last = page.isEmpty() ? Optional.empty() : Optional.of(StoreText.fromMicros(page.get(page.size() - 1).dateAdded()));
        Optional<String> next = more ? Optional.of(StoreText.encodeCursor(last.orElseThrow())) : Optional.empty();
        return new SerializedPage(objects, more, next, first, last);
    }

    /** One row of a serialized page: date added in microseconds and the JSON text's bytes. */
    private record SerializedRow(long dateAdded, byte[] json)
    {
        SerializedRow
        {
            requireNonNull(json, "json is null");
        }
    }

    /** Turns the current row of a page query into a value. */
    private interface PageRow<T>
    {
        T read(ResultSet row)
                throws SQLException;
    }

    /**
     * The rows of a page query (one more than the limit, to tell whether there are more), with the given
     * columns of {@code o}. Plain JDBC on a pooled connection, with positional parameters: the most frequent query
     * of a serving node, where Jdbi's handle, named-parameter binding, statement logging and result collection
     * were a tenth of a page's CPU.
     */
    private <T> List<T> page(String collectionId, ObjectQuery query, String columns, PageRow<T> reading)
    {
        requireNonNull(query, "query is null");
        long key = collectionKey(collectionId);
        List<Object> arguments = new ArrayList<>();
        arguments.add(key);
        arguments.add(StoreText.lowerBoundMicros(query));
        // With ids, the id-hash index finds the few rows: "+" hides date_added from the planner, which would
        // otherwise walk the date index to avoid a sort (SQLite has no statistics to know better).
        String dateAdded = query.ids().isEmpty() ? "o.date_added" : "+o.date_added";
        StringBuilder sql = new StringBuilder("SELECT ").append(columns)
                .append(" FROM objects o WHERE o.collection_key = ? AND ").append(dateAdded).append(" > ?");
        if (!query.ids().isEmpty()) {
            // The hashes lead the index to the rows; the ids themselves tell apart ids that share a hash.
            List<Long> hashes = query.ids().stream().map(ObjectIdHash::of).toList();
            sql.append(" AND o.id_hash IN (").append(parameters(hashes, arguments)).append(")");
            sql.append(" AND o.object_id IN (").append(parameters(query.ids(), arguments)).append(")");
        }
        if (!query.types().isEmpty()) {
            sql.append(" AND o.type IN (").append(parameters(query.types(), arguments)).append(")");
        }
        appendSelection(sql, query.versions(), query.specVersions(), arguments);
        sql.append(" ORDER BY ").append(dateAdded).append(" LIMIT ?");
        arguments.add(query.limit() + 1);

        List<T> rows = new ArrayList<>(query.limit() + 1);
        try (Connection connection = readerPool.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int index = 0; index < arguments.size(); index++) {
                bindArgument(statement, index + 1, arguments.get(index));
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(reading.read(result));
                }
            }
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "store " + location + ": query collection " + collectionId + " failed: " + e.getMessage(), e);
        }
        return rows;
    }

    private static void bindArgument(PreparedStatement statement, int position, Object argument)
            throws SQLException
    {
        // The argument kinds appendSelection and page add; the same JDBC types Jdbi binds them as.
        if (argument instanceof Long number) {
            statement.setLong(position, number);
        }
        else if (argument instanceof Integer number) {
            statement.setInt(position, number);
        }
        else if (argument instanceof String text) {
            statement.setString(position, text);
        }
        else {
            throw new IllegalArgumentException("unexpected query argument of " + argument.getClass().getName());
        }
    }

    /**
     * The version and specification version filters, as predicates on the row {@code o}: first and last are
     * the least and greatest version of the object in the collection, and with no specification versions
     * given only the object's greatest specification version is kept.
     */
    private static void appendSelection(StringBuilder sql, VersionFilter versions, List<String> specVersions, List<Object> arguments)
    {
        if (versions.equals(VersionFilter.LAST) && specVersions.isEmpty()) {
            // The TAXII default (latest version, latest specification version), asked by almost every page: the
            // stored marker (V4__latest_version.sql) instead of a probe of the object's other rows per row read.
            sql.append(" AND o.latest = 1");
            return;
        }
        if (!versions.all()) {
            List<String> alternatives = new ArrayList<>();
            if (versions.first()) {
                alternatives.add("o.version = (SELECT MIN(f.version) FROM objects f WHERE f.collection_key = o.collection_key AND f.id_hash = o.id_hash AND f.object_id = o.object_id)");
            }
            if (versions.last()) {
                alternatives.add("o.version = (SELECT MAX(l.version) FROM objects l WHERE l.collection_key = o.collection_key AND l.id_hash = o.id_hash AND l.object_id = o.object_id)");
            }
            if (!versions.versions().isEmpty()) {
                List<String> keys = versions.versions().stream().map(StoreText::instantKey).toList();
                alternatives.add("o.version IN (" + parameters(keys, arguments) + ")");
                // An unversioned object's version, as TAXII manifests show it, is its date added.
                List<Long> dates = versions.versions().stream()
                        .filter(version -> version.getNano() % 1_000 == 0)
                        .map(StoreText::toMicros)
                        .toList();
                if (!dates.isEmpty()) {
                    alternatives.add("(o.version = '' AND o.date_added IN (" + parameters(dates, arguments) + "))");
                }
            }
            sql.append(" AND (").append(String.join(" OR ", alternatives)).append(")");
        }
        if (specVersions.isEmpty()) {
            sql.append(" AND o.spec_version = (SELECT MAX(s.spec_version) FROM objects s WHERE s.collection_key = o.collection_key AND s.id_hash = o.id_hash AND s.object_id = o.object_id)");
        }
        else {
            sql.append(" AND o.spec_version IN (").append(parameters(specVersions, arguments)).append(")");
        }
    }

    /** One positional parameter per value, the values appended to {@code arguments} in the same order. */
    private static String parameters(List<?> values, List<Object> arguments)
    {
        arguments.addAll(values);
        return String.join(", ", Collections.nCopies(values.size(), "?"));
    }

    private static StoredObject storedObject(ResultSet row)
            throws SQLException
    {
        // By position in OBJECT_COLUMNS: the driver looks a name up in a map on every call, seven per row of a page.
        StixObject object = new StixObject(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                Optional.ofNullable(row.getString(4)).map(StoreText::parseInstantKey),
                Optional.ofNullable(row.getString(5)).map(StoreText::parseInstantKey),
                row.getString(7));
        return new StoredObject(object, StoreText.fromMicros(row.getLong(6)));
    }

    @Override
    public int deleteObject(String collectionId, String objectId, VersionFilter versions, List<String> specVersions)
    {
        requireNonNull(objectId, "objectId is null");
        requireNonNull(versions, "versions is null");
        requireNonNull(specVersions, "specVersions is null");
        long key = collectionKey(collectionId);
        long hash = ObjectIdHash.of(objectId);
        List<Object> arguments = new ArrayList<>(List.of(key, hash, objectId));
        StringBuilder sql = new StringBuilder("SELECT o.version, o.date_added FROM objects o WHERE o.collection_key = ? AND o.id_hash = ? AND o.object_id = ?");
        appendSelection(sql, versions, specVersions, arguments);
        sql.append(" ORDER BY o.date_added");
        int deleted = write("delete object " + objectId + " from collection " + collectionId, () -> writer.inTransaction(handle -> {
            // The collection's lock, as for an add: the latest markers of the object are then set by one writer.
            handle.createUpdate("UPDATE collections SET last_date_added = last_date_added WHERE collection_key = :key")
                    .bind("key", key)
                    .execute();
            // Select first, then delete by key: first/last refer to the versions present before the delete.
            Query selection = handle.createQuery(sql.toString());
            for (int index = 0; index < arguments.size(); index++) {
                selection.bind(index, arguments.get(index));
            }
            List<PendingEvent> doomed = selection
                    .map((row, context) -> new PendingEvent(collectionId, objectId, row.getString("version"), Event.Kind.DELETED, row.getLong("date_added")))
                    .list();
            if (doomed.isEmpty()) {
                return 0;
            }
            PreparedBatch batch = handle.prepareBatch("DELETE FROM objects WHERE collection_key = :key AND id_hash = :hash AND object_id = :id AND version = :version");
            for (PendingEvent version : doomed) {
                batch.bind("key", key).bind("hash", hash).bind("id", objectId).bind("version", version.versionKey()).add();
            }
            batch.execute();
            handle.createUpdate(MARK_LATEST).bind(0, key).bind(1, hash).bind(2, objectId).execute();
            events.append(handle, doomed);
            throwInjectedFailure();
            return doomed.size();
        }));
        if (deleted > 0) {
            events.committed();
        }
        return deleted;
    }

    @Override
    public long countObjects(String collectionId)
    {
        long key = collectionKey(collectionId);
        return call("count objects of collection " + collectionId, () -> reader.withHandle(handle -> handle
                .createQuery("SELECT COUNT(*) FROM objects WHERE collection_key = :key")
                .bind("key", key)
                .mapTo(Long.class)
                .one()));
    }

    // --- status resources ---

    @Override
    public void saveStatus(TaxiiStatus status)
    {
        requireNonNull(status, "status is null");
        write("save status " + status.id(), () -> writer.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO statuses (id, collection_id, status, request_timestamp, successes, failures, pendings)
                        VALUES (:id, :collectionId, :status, :requestTimestamp, :successes, :failures, :pendings)
                        ON CONFLICT (id) DO UPDATE SET collection_id = excluded.collection_id, status = excluded.status,
                            request_timestamp = excluded.request_timestamp, successes = excluded.successes,
                            failures = excluded.failures, pendings = excluded.pendings""")
                .bind("id", status.id())
                .bind("collectionId", status.collectionId())
                .bind("status", status.status().name())
                .bind("requestTimestamp", StoreText.instantKey(status.requestTimestamp()))
                .bind("successes", StoreJson.details(status.successes()))
                .bind("failures", StoreJson.details(status.failures()))
                .bind("pendings", StoreJson.details(status.pendings()))
                .execute()));
    }

    @Override
    public Optional<TaxiiStatus> findStatus(String statusId)
    {
        requireNonNull(statusId, "statusId is null");
        return call("find status " + statusId, () -> reader.withHandle(handle -> handle
                .createQuery("SELECT id, collection_id, status, request_timestamp, successes, failures, pendings FROM statuses WHERE id = :id")
                .bind("id", statusId)
                .map((row, context) -> new TaxiiStatus(
                        row.getString("id"),
                        row.getString("collection_id"),
                        TaxiiStatus.Status.valueOf(row.getString("status")),
                        StoreText.parseInstantKey(row.getString("request_timestamp")),
                        StoreJson.parseDetails(row.getString("successes")),
                        StoreJson.parseDetails(row.getString("failures")),
                        StoreJson.parseDetails(row.getString("pendings"))))
                .findOne()));
    }

    // --- users and tokens ---

    @Override
    public void addUser(UserAccount user)
    {
        requireNonNull(user, "user is null");
        int inserted = writeUser("add user", user, """
                INSERT INTO users (name, password_hash, read_collections, write_collections, administrator)
                VALUES (:name, :passwordHash, :readCollections, :writeCollections, :administrator)
                ON CONFLICT (name) DO NOTHING""");
        if (inserted == 0) {
            throw new VigieException(ErrorCode.USER_EXISTS, "user '" + user.name() + "' already exists");
        }
    }

    @Override
    public void updateUser(UserAccount user)
    {
        requireNonNull(user, "user is null");
        int updated = writeUser("update user", user, """
                UPDATE users SET password_hash = :passwordHash, read_collections = :readCollections,
                    write_collections = :writeCollections, administrator = :administrator
                WHERE name = :name""");
        if (updated == 0) {
            throw new VigieException(ErrorCode.USER_NOT_FOUND, "user '" + user.name() + "' does not exist");
        }
    }

    /** Runs an insert or update binding every column of a user; returns the rows it changed. */
    private int writeUser(String action, UserAccount user, String sql)
    {
        return write(action + " " + user.name(), () -> writer.withHandle(handle -> handle.createUpdate(sql)
                .bind("name", user.name())
                .bind("passwordHash", user.passwordHash())
                .bind("readCollections", StoreJson.strings(user.readCollections()))
                .bind("writeCollections", StoreJson.strings(user.writeCollections()))
                .bind("administrator", user.administrator())
                .execute()));
    }

    @Override
    public Optional<UserAccount> findUser(String name)
    {
        requireNonNull(name, "name is null");
        return call("find user " + name, () -> reader.withHandle(handle -> handle
                .createQuery("SELECT name, password_hash, read_collections, write_collections, administrator FROM users WHERE name = :name")
                .bind("name", name)
                .map((row, context) -> userAccount(row))
                .findOne()));
    }

    @Override
    public List<UserAccount> listUsers()
    {
        List<UserAccount> users = call("list users", () -> reader.withHandle(handle -> handle
                .createQuery("SELECT name, password_hash, read_collections, write_collections, administrator FROM users")
                .map((row, context) -> userAccount(row))
                .list()));
        // Sorted here, not in SQL: PostgreSQL's collation would order names differently from SQLite.
        return users.stream().sorted(Comparator.comparing(UserAccount::name)).toList();
    }

    private static UserAccount userAccount(ResultSet row)
            throws SQLException
    {
        return new UserAccount(
                row.getString("name"),
                row.getString("password_hash"),
                StoreJson.parseStrings(row.getString("read_collections")),
                StoreJson.parseStrings(row.getString("write_collections")),
                row.getBoolean("administrator"));
    }

    @Override
    public void addToken(ApiToken token)
    {
        requireNonNull(token, "token is null");
        write("add token " + token.id(), () -> writer.inTransaction(handle -> {
            boolean userExists = handle.createQuery("SELECT COUNT(*) FROM users WHERE name = :name")
                    .bind("name", token.userName())
                    .mapTo(Long.class)
                    .one() > 0;
            if (!userExists) {
                throw new VigieException(ErrorCode.USER_NOT_FOUND, "token " + token.id() + ": user '" + token.userName() + "' does not exist");
            }
            int inserted = handle.createUpdate("""
                            INSERT INTO tokens (id, user_name, secret_hash, created) VALUES (:id, :userName, :secretHash, :created)
                            ON CONFLICT (id) DO NOTHING""")
                    .bind("id", token.id())
                    .bind("userName", token.userName())
                    .bind("secretHash", token.secretHash())
                    .bind("created", StoreText.instantKey(token.created()))
                    .execute();
            if (inserted == 0) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "token " + token.id() + " already exists");
            }
            return null;
        }));
    }

    @Override
    public Optional<ApiToken> findToken(String tokenId)
    {
        requireNonNull(tokenId, "tokenId is null");
        return call("find token " + tokenId, () -> reader.withHandle(handle -> handle
                .createQuery("SELECT id, user_name, secret_hash, created FROM tokens WHERE id = :id")
                .bind("id", tokenId)
                .map((row, context) -> new ApiToken(
                        row.getString("id"),
                        row.getString("user_name"),
                        row.getString("secret_hash"),
                        StoreText.parseInstantKey(row.getString("created"))))
                .findOne()));
    }

    @Override
    public EventLog events()
    {
        return events;
    }

    /** Tests only: makes the next write transaction fail after appending its events, so that it rolls back. */
    void failNextWrite(RuntimeException failure)
    {
        injectedFailure.set(requireNonNull(failure, "failure is null"));
    }

    private void throwInjectedFailure()
    {
        RuntimeException failure = injectedFailure.getAndSet(null);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close()
    {
        // Stopped first: the last pool connection to close then checkpoints whatever is left.
        checkpointer.ifPresent(SqliteCheckpointer::close);
        pools.forEach(HikariDataSource::close);
    }

    /** Checkpoints run by the background checkpointer so far; empty on PostgreSQL (tests). */
    OptionalLong checkpoints()
    {
        return checkpointer.map(running -> OptionalLong.of(running.checkpoints())).orElse(OptionalLong.empty());
    }

    /** Runs a write on the writer connection ({@link #call}); once committed, its log frames are due for a checkpoint. */
    private <T> T write(String action, Supplier<T> body)
    {
        T result = call(action, body);
        checkpointer.ifPresent(SqliteCheckpointer::committed);
        return result;
    }

    /** Runs a database action, turning driver failures into a store error that says what was being done where. */
    private <T> T call(String action, Supplier<T> body)
    {
        try {
            return body.get();
        }
        catch (JdbiException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "store " + location + ": " + action + " failed: " + e.getMessage(), e);
        }
    }
}
