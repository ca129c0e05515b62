package org.vigie.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.vigie.stix.StixObject;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * Writes the rows of an add transaction, one chunk at a time, each row offered the date added the store
 * reserved for it: inserted unless its object's version is stored already (then left as it is), with the
 * latest marker 1 when its object had no row before the chunk and {@link #LATEST_UNSETTLED} otherwise.
 *
 * <p>Both vendors decide the same way: one probe query per group of rows reads the stored versions of their
 * objects (through the id hash, {@link ObjectIdHash}, keyed by the ids found so that ids sharing a hash stay
 * apart), then only the new rows are sent, with their final values. The probe sees every row stored before the
 * chunk, earlier chunks of the transaction included; a row whose id came earlier in the same chunk also counts the
 * versions sent before it, which the probe cannot see (a second copy of a version is then not sent, and an object
 * with several new versions gets the marker unsettled, for the store to settle at the end).
 * All of it runs under the collection's write lock, so no other writer stores a version in between. Probing
 * apart, rather than in the insert, keeps the insert plain: an {@code INSERT ... SELECT} whose subqueries read
 * {@code objects} made SQLite stage every row in a temporary table first (twice the bytes written per object),
 * and on PostgreSQL it needed the chunk in a temporary table and a probe per row on the server.
 *
 * <p>Two ways to send the new rows: SQLite as a JDBC batch of {@code INSERT ... VALUES}; PostgreSQL with one
 * {@code COPY} into {@code objects}, because parsing and binding the driver's multi-row {@code VALUES} (eleven
 * parameters per row) cost its server about half of each object's time.
 */
abstract sealed class ObjectRowWriter
        implements AutoCloseable
        permits ObjectRowWriter.Batch, ObjectRowWriter.Copy
{
    // The latest marker of a row stored beside other rows of its object, until the end of its transaction sets it
    // to 1 or 0 from all of them; never committed, so pages (latest = 1) never see it.
    static final int LATEST_UNSETTLED = 2;

    private final Connection connection;
    private final int probeSize;
    private PreparedStatement probe;
    private final List<Row> rows = new ArrayList<>();

    /** Rows are probed in groups of up to {@code probeSize}, the id hash parameters of one probe statement. */
    private ObjectRowWriter(Connection connection, int probeSize)
    {
        this.connection = requireNonNull(connection, "connection is null");
        if (probeSize < 1) {
            throw new IllegalArgumentException("probeSize must be positive: " + probeSize);
        }
        this.probeSize = probeSize;
    }

    /** The vendor's writer on the transaction's connection. */
    static ObjectRowWriter create(SqlObjectStore.Vendor vendor, Connection connection, int probeSize)
            throws SQLException
    {
        return switch (vendor) {
            case SQLITE -> new Batch(connection, probeSize);
            case POSTGRESQL -> new Copy(connection, probeSize);
        };
    }

    /** One row of the chunk being written. */
    record Row(StixObject object, long idHash, String versionKey, String createdKey, String modifiedKey, long dateAdded)
    {
        Row
        {
            requireNonNull(object, "object is null");
            requireNonNull(versionKey, "versionKey is null");
        }
    }

    /** A new row to send, with its latest marker. */
    record NewRow(Row row, int latest)
    {
        NewRow
        {
            requireNonNull(row, "row is null");
        }
    }

    /** Adds one row to the chunk being written. */
    final void add(Row row)
    {
        rows.add(requireNonNull(row, "row is null"));
    }

    /**
     * Writes the rows added since the last call. Answers, per row in the order of addition, the date added of its
     * version as stored: the row's own when the row was inserted, the earlier row's when the version was stored
     * already (found by the probe, or sent before in the chunk). Adds to {@code unsettled} the id of every row it
     * stored with the marker unsettled.
     */
    final long[] write(long collectionKey, Set<String> unsettled)
            throws SQLException
    {
        // id -> its stored versions and their dates added, for the chunk's objects that have any (none, in a fresh import).
        Map<String, Map<String, Long>> stored = new HashMap<>();
        for (int first = 0; first < rows.size(); first += probeSize) {
            probe(collectionKey, rows.subList(first, Math.min(rows.size(), first + probeSize)), stored);
        }
        long[] datesAdded = new long[rows.size()];
        List<NewRow> newRows = new ArrayList<>(rows.size());
        // The chunk's id hashes: only a row whose hash came before in the chunk looks at the rows sent before it.
        LongHashSet chunkHashes = new LongHashSet();
        for (int index = 0; index < rows.size(); index++) {
            Row row = rows.get(index);
            Map<String, Long> versions = versions(row, stored, chunkHashes.add(row.idHash()) ? List.of() : newRows);
            Long storedDateAdded = versions.get(row.versionKey());
            if (storedDateAdded != null) {
                datesAdded[index] = storedDateAdded;
                continue;
            }
            if (!versions.isEmpty()) {
                unsettled.add(row.object().id());
            }
            datesAdded[index] = row.dateAdded();
            newRows.add(new NewRow(row, versions.isEmpty() ? 1 : LATEST_UNSETTLED));
        }
        if (!newRows.isEmpty()) {
            insert(connection, collectionKey, newRows);
        }
        rows.clear();
        return datesAdded;
    }

    /**
     * The versions of {@code row}'s object with their dates added: stored ones, and those of {@code sent} (rows of
     * the chunk before it).
     */
    private static Map<String, Long> versions(Row row, Map<String, Map<String, Long>> stored, List<NewRow> sent)
    {
        // An empty map (a fresh import) is not asked: the id's String hash would be computed for nothing.
        Map<String, Long> versions = stored.isEmpty() ? Map.of() : stored.getOrDefault(row.object().id(), Map.of());
        if (sent.isEmpty()) {
            return versions;
        }
        Map<String, Long> all = new HashMap<>(versions);
        for (NewRow earlier : sent) {
            if (earlier.row().object().id().equals(row.object().id())) {
                all.put(earlier.row().versionKey(), earlier.row().dateAdded());
            }
        }
        return all;
    }

    /** Adds the stored versions of the objects of {@code group}, with their dates added, to {@code stored}. */
    private void probe(long collectionKey, List<Row> group, Map<String, Map<String, Long>> stored)
            throws SQLException
    {
        // The probe must see the previous chunk's rows, and the connection serves one statement at a time.
        awaitWrites();
        if (probe == null) {
            String hashes = String.join(", ", Collections.nCopies(probeSize, "?"));
            probe = connection.prepareStatement("SELECT object_id, version, date_added FROM objects WHERE collection_key = ? AND id_hash IN (" + hashes + ")");
        }
        probe.setLong(1, collectionKey);
        for (int index = 0; index < probeSize; index++) {
            // A shorter group repeats its last hash: the statement keeps one shape, and IN ignores repeats.
            probe.setLong(index + 2, group.get(Math.min(index, group.size() - 1)).idHash());
        }
        try (ResultSet found = probe.executeQuery()) {
            while (found.next()) {
                // Keyed by the id found: rows of other ids that share a hash with the group's are never asked for.
                stored.computeIfAbsent(found.getString(1), id -> new HashMap<>()).put(found.getString(2), found.getLong(3));
            }
        }
    }

    /**
     * Inserts {@code newRows} into the collection, in order; may return before they are stored (see
     * {@link #awaitWrites}).
     */
    abstract void insert(Connection connection, long collectionKey, List<NewRow> newRows)
            throws SQLException;

    /**
     * Waits until the rows of every {@link #write} so far are stored, failing as their insert did. The caller calls
     * it before using the transaction's connection for anything else.
     */
    void awaitWrites()
            throws SQLException
    {
        // Stored when write returns, unless an implementation says otherwise.
    }

    /** Closes the statements the insert keeps. */
    abstract void closeInsert()
            throws SQLException;

    @Override
    public final void close()
            throws SQLException
    {
        try {
            awaitWrites();
        }
        finally {
            closeAll();
        }
    }

    private void closeAll()
            throws SQLException
    {
        try {
            closeInsert();
        }
        finally {
            if (probe != null) {
                probe.close();
            }
        }
    }

    /** SQLite: a JDBC batch of {@code INSERT ... VALUES}. */
    static final class Batch
            extends ObjectRowWriter
    {
        private static final String INSERT_OBJECT = """
                INSERT INTO objects (collection_key, object_id, id_hash, version, type, spec_version, created, modified, date_added, json, latest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

        private final PreparedStatement insert;

        private Batch(Connection connection, int probeSize)
                throws SQLException
        {
            super(connection, probeSize);
            this.insert = connection.prepareStatement(INSERT_OBJECT);
        }

        @Override
        void insert(Connection connection, long collectionKey, List<NewRow> newRows)
                throws SQLException
        {
            for (NewRow newRow : newRows) {
                Row row = newRow.row();
                insert.setLong(1, collectionKey);
                insert.setString(2, row.object().id());
                insert.setLong(3, row.idHash());
                insert.setString(4, row.versionKey());
                insert.setString(5, row.object().type());
                insert.setString(6, row.object().specVersion());
                insert.setString(7, row.createdKey());
                insert.setString(8, row.modifiedKey());
                insert.setLong(9, row.dateAdded());
                insert.setString(10, row.object().json());
                insert.setInt(11, newRow.latest());
                insert.addBatch();
            }
            int[] inserted = insert.executeBatch();
            for (int count : inserted) {
                if (count != 1) {
                    throw new IllegalStateException("an insert of one object row reported " + count + " rows");
                }
            }
        }

        @Override
        void closeInsert()
                throws SQLException
        {
            insert.close();
        }
    }

    /**
     * PostgreSQL: one {@code COPY} into {@code objects} (text format) per chunk, run by a sender thread of the
     * writer, so that the server stores one chunk while the writer thread prepares the next (reads, checks,
     * hashes) instead of the two taking turns; the text is streamed in pieces, so the server starts on a chunk's
     * first rows while its last are encoded. One chunk is in flight at a time, and every other use of the
     * connection waits for it ({@link #awaitWrites}).
     */
    static final class Copy
            extends ObjectRowWriter
    {
        private static final String COPY_OBJECTS = "COPY objects (collection_key, object_id, id_hash, version, type, spec_version, created, modified, date_added, json, latest) FROM STDIN";
        // Characters of COPY text sent at once.
        private static final int PIECE_CHARACTERS = 256 * 1024;

        // COPY's text format: one line per row, columns separated by tabs. Used by the sender thread only.
        private final StringBuilder text = new StringBuilder();
        private ExecutorService sender;
        private Future<Void> pending;

        private Copy(Connection connection, int probeSize)
        {
            super(connection, probeSize);
        }

        @Override
        void insert(Connection connection, long collectionKey, List<NewRow> newRows)
                throws SQLException
        {
            awaitWrites();
            if (sender == null) {
                sender = Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "vigie-store-copy");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            pending = sender.submit(() -> {
                copy(connection, collectionKey, newRows);
                return null;
            });
        }

        private void copy(Connection connection, long collectionKey, List<NewRow> newRows)
                throws SQLException
        {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_OBJECTS);
            long copied;
            try {
                text.setLength(0);
                for (NewRow newRow : newRows) {
                    Row row = newRow.row();
                    text.append(collectionKey).append('\t');
                    appendField(row.object().id());
                    text.append(row.idHash()).append('\t');
                    appendField(row.versionKey());
                    appendField(row.object().type());
                    appendField(row.object().specVersion());
                    appendField(row.createdKey());
                    appendField(row.modifiedKey());
                    text.append(row.dateAdded()).append('\t');
                    appendField(row.object().json());
                    text.append(newRow.latest()).append('\n');
                    if (text.length() >= PIECE_CHARACTERS) {
                        send(copy);
                    }
                }
                send(copy);
                copied = copy.endCopy();
            }
            finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            if (copied != newRows.size()) {
                throw new IllegalStateException("COPY of " + newRows.size() + " object rows reported " + copied);
            }
        }

        private void send(CopyIn copy)
                throws SQLException
        {
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            text.setLength(0);
        }

        @Override
        void awaitWrites()
                throws SQLException
        {
            if (pending == null) {
                return;
            }
            Future<Void> waiting = pending;
            pending = null;
            // Waits out an interrupt too: the COPY is using the connection, which the caller may roll back next.
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        waiting.get();
                        return;
                    }
                    catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            catch (ExecutionException e) {
                if (e.getCause() instanceof SQLException failure) {
                    throw failure;
                }
                throw new IllegalStateException("storing a chunk of objects failed: " + e.getCause(), e.getCause());
            }
            finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** A value and its tab; null as COPY's \N. */
        private void appendField(String value)
        {
            if (value == null) {
                text.append("\\N");
            }
            else {
                appendText(value);
            }
            text.append('\t');
        }

        /** A value in COPY's text format: backslash and the characters that separate columns and rows escaped. */
        private void appendText(String value)
        {
            for (int index = 0; index < value.length(); index++) {
                char character = value.charAt(index);
                switch (character) {
                    case '\\' -> text.append("\\\\");
                    case '\t' -> text.append("\\t");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    default -> text.append(character);
                }
            }
        }

        @Override
        void closeInsert()
        {
            if (sender != null) {
                sender.shutdown();
            }
        }
    }
}
