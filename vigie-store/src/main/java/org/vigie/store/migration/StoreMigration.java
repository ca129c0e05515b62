package org.vigie.store.migration;

import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Copies a whole store (collections with their date-added counters, every object version with its original
 * date added, statuses, users, tokens, the event log and its consumers' cursors) from one database to another,
 * then verifies the copy. Rows are copied as they are, column by column, never re-added through
 * {@link ObjectStore#addObjects}, which would assign new dates added and new event sequences.
 *
 * <p>The target must be empty (its schema is created or completed by Flyway). The copy is one target
 * transaction, read from one source snapshot: a failure leaves the target empty. Writers of the source
 * (a running node) should be stopped first, or verification reports the rows they added meanwhile.
 */
public final class StoreMigration
{
    private static final int BATCH_SIZE = 1_000;
    private static final BigInteger CHECKSUM_MODULUS = BigInteger.ONE.shiftLeft(256);
    private static final String EVENT_SEQUENCE = "event_sequence";

    private enum Type
    {
        LONG,
        TEXT,
        BOOLEAN
    }

    private record Column(String name, Type type)
    {
    }

    private record Table(String name, List<Column> columns)
    {
        String columnList()
        {
            return columns.stream().map(Column::name).collect(Collectors.joining(", "));
        }
    }

    // Parents before children (tokens reference users); the same columns in both schemas (PostgreSQL's
    // generated objects.document is computed by the target).
    private static final List<Table> TABLES = List.of(
            table("collections", "collection_key", Type.LONG, "id", Type.TEXT, "title", Type.TEXT, "description", Type.TEXT,
                    "alias", Type.TEXT, "media_types", Type.TEXT, "last_date_added", Type.LONG),
            table("objects", "collection_key", Type.LONG, "object_id", Type.TEXT, "id_hash", Type.LONG, "version", Type.TEXT, "type", Type.TEXT,
                    "spec_version", Type.TEXT, "created", Type.TEXT, "modified", Type.TEXT, "date_added", Type.LONG, "json", Type.TEXT,
                    "latest", Type.LONG),
            table("statuses", "id", Type.TEXT, "collection_id", Type.TEXT, "status", Type.TEXT, "request_timestamp", Type.TEXT,
                    "successes", Type.TEXT, "failures", Type.TEXT, "pendings", Type.TEXT),
            table("users", "name", Type.TEXT, "password_hash", Type.TEXT, "read_collections", Type.TEXT, "write_collections", Type.TEXT,
                    "administrator", Type.BOOLEAN),
            table("tokens", "id", Type.TEXT, "user_name", Type.TEXT, "secret_hash", Type.TEXT, "created", Type.TEXT),
            table(EVENT_SEQUENCE, "id", Type.LONG, "last_sequence", Type.LONG),
            table("events", "sequence", Type.LONG, "collection_id", Type.TEXT, "object_id", Type.TEXT, "version", Type.TEXT,
                    "kind", Type.TEXT, "date_added", Type.LONG),
            table("event_consumers", "name", Type.TEXT, "cursor_text", Type.TEXT));

    private StoreMigration() {}

    /** The tables copied, in copy order. */
    public static List<String> tables()
    {
        return TABLES.stream().map(Table::name).toList();
    }

    /**
     * Copies the store at {@code source} into the empty store at {@code target} (both SQLite or PostgreSQL,
     * their schemas brought to the current version first) and verifies it. Fails with INVALID_ARGUMENT when the
     * target is not empty or is the source, and with STORE_MIGRATION_FAILED when verification finds a difference.
     */
    public static MigrationSummary copy(StoreConfig source, StoreConfig target, InstantSource clock)
    {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        requireNonNull(clock, "clock is null");
        String sourceLocation = location(source);
        String targetLocation = location(target);
        if (source.url().equals(target.url())) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "cannot migrate store " + sourceLocation + " into itself");
        }
        if (source.isSqlite() && !Files.isRegularFile(source.sqliteFile())) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "source store " + sourceLocation + ": database file " + source.sqliteFile() + " does not exist");
        }
        // Opening a store runs its Flyway migrations: both schemas are then current and identical in columns.
        ObjectStores.open(source, clock).close();
        ObjectStores.open(target, clock).close();
        try (Connection from = connect(source); Connection to = connect(target)) {
            from.setAutoCommit(false);
            if (!source.isSqlite()) {
                from.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            to.setAutoCommit(false);
            try {
                requireEmpty(to, targetLocation);
                for (Table table : TABLES) {
                    copyTable(from, to, table, target.isSqlite());
                }
                if (!target.isSqlite()) {
                    // collection_key is an identity column: new collections must be numbered after the copied ones.
                    try (Statement statement = to.createStatement()) {
                        statement.execute("SELECT setval(pg_get_serial_sequence('collections', 'collection_key'), "
                                + "COALESCE((SELECT MAX(collection_key) FROM collections), 1), (SELECT COUNT(*) > 0 FROM collections))");
                    }
                }
                to.commit();
            }
            catch (SQLException | RuntimeException e) {
                to.rollback();
                throw e;
            }
            finally {
                from.rollback();
            }
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_MIGRATION_FAILED, "cannot copy store " + sourceLocation + " to " + targetLocation + ": " + e.getMessage(), e);
        }
        return verify(source, target);
    }

    /**
     * Compares two stores: per table row count and row checksum, per collection the checksum of its
     * (object id, version, date added) set. Fails with STORE_MIGRATION_FAILED naming every difference.
     */
    public static MigrationSummary verify(StoreConfig source, StoreConfig target)
    {
        String sourceLocation = location(source);
        String targetLocation = location(target);
        List<String> differences = new ArrayList<>();
        List<MigrationSummary.TableSummary> tables = new ArrayList<>();
        List<MigrationSummary.CollectionSummary> collections = new ArrayList<>();
        try (Connection from = connect(source); Connection to = connect(target)) {
            for (Table table : TABLES) {
                MigrationSummary.TableSummary expected = summarize(from, table);
                MigrationSummary.TableSummary actual = summarize(to, table);
                if (expected.rows() != actual.rows()) {
                    differences.add("table " + table.name() + " has " + expected.rows() + " rows in the source, " + actual.rows() + " in the target");
                }
                else if (!expected.checksum().equals(actual.checksum())) {
                    differences.add("table " + table.name() + " has different rows in the source and the target");
                }
                tables.add(expected);
            }
            Map<String, MigrationSummary.CollectionSummary> expected = collectionSummaries(from);
            Map<String, MigrationSummary.CollectionSummary> actual = collectionSummaries(to);
            for (MigrationSummary.CollectionSummary collection : expected.values()) {
                MigrationSummary.CollectionSummary copied = actual.get(collection.collectionId());
                if (!collection.equals(copied)) {
                    differences.add("collection " + collection.collectionId() + ": " + collection.versions() + " versions in the source, "
                            + (copied == null ? "missing" : copied.versions() + " with " + (copied.checksum().equals(collection.checksum()) ? "the same" : "a different") + " (id, version, date added) set")
                            + " in the target");
                }
                collections.add(collection);
            }
            for (String collectionId : actual.keySet()) {
                if (!expected.containsKey(collectionId)) {
                    differences.add("collection " + collectionId + " is in the target, not in the source");
                }
            }
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_MIGRATION_FAILED, "cannot verify the copy of store " + sourceLocation + " in " + targetLocation + ": " + e.getMessage(), e);
        }
        if (!differences.isEmpty()) {
            throw new VigieException(ErrorCode.STORE_MIGRATION_FAILED, "verification of the copy of store " + sourceLocation + " in " + targetLocation
                    + " failed: " + String.join("; ", differences));
        }
        return new MigrationSummary(sourceLocation, targetLocation, tables, collections);
    }

    private static void requireEmpty(Connection connection, String location)
            throws SQLException
    {
        List<String> filled = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (Table table : TABLES) {
                // Flyway seeds event_sequence with (1, 0): the target is empty while no sequence was handed out.
                String sql = table.name().equals(EVENT_SEQUENCE)
                        ? "SELECT COUNT(*) FROM " + EVENT_SEQUENCE + " WHERE last_sequence <> 0"
                        : "SELECT COUNT(*) FROM " + table.name();
                try (ResultSet result = statement.executeQuery(sql)) {
                    result.next();
                    long rows = result.getLong(1);
                    if (rows > 0) {
                        filled.add(table.name() + " (" + rows + " rows)");
                    }
                }
            }
        }
        if (!filled.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "target store " + location + " is not empty: " + String.join(", ", filled)
                    + "; a store is migrated only into an empty database");
        }
    }

    private static void copyTable(Connection from, Connection to, Table table, boolean targetIsSqlite)
            throws SQLException
    {
        if (table.name().equals(EVENT_SEQUENCE)) {
            try (Statement statement = to.createStatement()) {
                statement.executeUpdate("DELETE FROM " + EVENT_SEQUENCE);
            }
        }
        String placeholders = table.columns().stream().map(column -> "?").collect(Collectors.joining(", "));
        // PostgreSQL refuses explicit values for an identity column unless told to keep them.
        String overriding = !targetIsSqlite && table.name().equals("collections") ? " OVERRIDING SYSTEM VALUE" : "";
        String insert = "INSERT INTO " + table.name() + " (" + table.columnList() + ")" + overriding + " VALUES (" + placeholders + ")";
        try (PreparedStatement select = from.prepareStatement("SELECT " + table.columnList() + " FROM " + table.name());
                PreparedStatement batch = to.prepareStatement(insert)) {
            select.setFetchSize(BATCH_SIZE);
            try (ResultSet rows = select.executeQuery()) {
                int pending = 0;
                while (rows.next()) {
                    for (int index = 1; index <= table.columns().size(); index++) {
                        bind(batch, index, table.columns().get(index - 1).type(), rows);
                    }
                    batch.addBatch();
                    pending++;
                    if (pending == BATCH_SIZE) {
                        batch.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    batch.executeBatch();
                }
            }
        }
    }

    private static void bind(PreparedStatement statement, int index, Type type, ResultSet row)
            throws SQLException
    {
        switch (type) {
            case LONG -> {
                long value = row.getLong(index);
                if (row.wasNull()) {
                    statement.setNull(index, Types.BIGINT);
                }
                else {
                    statement.setLong(index, value);
                }
            }
            case TEXT -> {
                String value = row.getString(index);
                if (value == null) {
                    statement.setNull(index, Types.VARCHAR);
                }
                else {
                    statement.setString(index, value);
                }
            }
            case BOOLEAN -> {
                boolean value = row.getBoolean(index);
                if (row.wasNull()) {
                    statement.setNull(index, Types.BOOLEAN);
                }
                else {
                    statement.setBoolean(index, value);
                }
            }
        }
    }

    private static MigrationSummary.TableSummary summarize(Connection connection, Table table)
            throws SQLException
    {
        Checksum checksum = new Checksum();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + table.columnList() + " FROM " + table.name())) {
            select.setFetchSize(BATCH_SIZE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    List<String> values = new ArrayList<>();
                    for (int index = 1; index <= table.columns().size(); index++) {
                        values.add(text(rows, index, table.columns().get(index - 1).type()));
                    }
                    checksum.add(values);
                }
            }
        }
        return new MigrationSummary.TableSummary(table.name(), checksum.rows(), checksum.hex());
    }

    private static Map<String, MigrationSummary.CollectionSummary> collectionSummaries(Connection connection)
            throws SQLException
    {
        Map<String, Checksum> checksums = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet collections = statement.executeQuery("SELECT id FROM collections")) {
            while (collections.next()) {
                checksums.put(collections.getString(1), new Checksum());
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT c.id, o.object_id, o.version, o.date_added FROM objects o JOIN collections c ON c.collection_key = o.collection_key")) {
            select.setFetchSize(BATCH_SIZE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    checksums.get(rows.getString(1)).add(List.of(rows.getString(2), rows.getString(3), Long.toString(rows.getLong(4))));
                }
            }
        }
        Map<String, MigrationSummary.CollectionSummary> summaries = new TreeMap<>();
        checksums.forEach((id, checksum) -> summaries.put(id, new MigrationSummary.CollectionSummary(id, checksum.rows(), checksum.hex())));
        return summaries;
    }

    private static String text(ResultSet row, int index, Type type)
            throws SQLException
    {
        // Typed reads, so that SQLite's 0/1 and PostgreSQL's booleans, or INTEGER and BIGINT, compare equal.
        String value = switch (type) {
            case LONG -> Long.toString(row.getLong(index));
            case TEXT -> row.getString(index);
            case BOOLEAN -> Boolean.toString(row.getBoolean(index));
        };
        return row.wasNull() ? null : value;
    }

    private static Connection connect(StoreConfig config)
            throws SQLException
    {
        if (config.isSqlite()) {
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setBusyTimeout(30_000);
            SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
            dataSource.setUrl(config.url());
            return dataSource.getConnection();
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(config.url());
        config.user().ifPresent(dataSource::setUser);
        config.password().ifPresent(dataSource::setPassword);
        // Batches of inserts become multi-row inserts: one round trip per batch instead of per row.
        dataSource.setReWriteBatchedInserts(true);
        return dataSource.getConnection();
    }

    private static String location(StoreConfig config)
    {
        return config.url().replaceAll("password=[^&;]*", "password=****");
    }

    private static Table table(Object... namesAndTypes)
    {
        List<Column> columns = new ArrayList<>();
        for (int index = 1; index < namesAndTypes.length; index += 2) {
            columns.add(new Column((String) namesAndTypes[index], (Type) namesAndTypes[index + 1]));
        }
        return new Table((String) namesAndTypes[0], List.copyOf(columns));
    }

    /** An order-independent checksum of a set of rows: the sum, modulo 2^256, of each row's SHA-256. */
    private static final class Checksum
    {
        private BigInteger sum = BigInteger.ZERO;
        private long rows;

        void add(List<String> values)
        {
            MessageDigest digest = sha256();
            for (String value : values) {
                // Length-prefixed, with a distinct mark for null, so that no two rows encode alike.
                if (value == null) {
                    digest.update((byte) 0);
                }
                else {
                    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                    digest.update((byte) 1);
                    digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                    digest.update((byte) ':');
                    digest.update(bytes);
                }
            }
            sum = sum.add(new BigInteger(1, digest.digest())).mod(CHECKSUM_MODULUS);
            rows++;
        }

        long rows()
        {
            return rows;
        }

        String hex()
        {
            return String.format("%064x", sum);
        }

        private static MessageDigest sha256()
        {
            try {
                return MessageDigest.getInstance("SHA-256");
            }
            catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
            }
        }
    }
}
