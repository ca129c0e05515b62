package org.vigie.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.vigie.stix.StixObject;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Writes the rows of an add transaction, one chunk at a time, each row offered the date added the store
 * reserved for it: inserted unless its object's version is stored already (then left as it is), with the
 * latest marker 1 when its object had no row before the chunk and {@link #LATEST_UNSETTLED} otherwise. Both
 * look-ups go through the object id's hash ({@link ObjectIdHash}) and compare the id; the store hands a chunk each
 * (id, version) once, since a row is only compared with the rows stored before the chunk's statement.
 * {@link #write} answers the driver's counts for the chunk: 1 or 0 per row when known, else
 * {@link Statement#SUCCESS_NO_INFO}, and the store reads the outcome back by date added.
 *
 * <p>Two ways to the same rows: SQLite probes each row's object and inserts the rows as a JDBC batch;
 * PostgreSQL copies the chunk into a temporary table and stores it with one {@code INSERT ... SELECT}, because
 * parsing and binding the batch's multi-row {@code VALUES} (eleven parameters per row) cost its server about half
 * of each object's time.
 */
sealed interface ObjectRowWriter
        extends AutoCloseable
{
    // The latest marker of a row stored beside other rows of its object, until the end of its transaction sets it
    // to 1 or 0 from all of them; never committed, so pages (latest = 1) never see it.
    int LATEST_UNSETTLED = 2;

    /** Adds one row to the chunk being written. */
    void add(long collectionKey, StixObject object, long idHash, String versionKey, String createdKey, String modifiedKey, long dateAdded)
            throws SQLException;

    /**
     * Writes the rows added since the last call; one count per row, in the order of addition. When
     * {@link #reportsUnsettled()}, adds to {@code unsettled} the id of every row it stored with the marker unsettled.
     */
    int[] write(long collectionKey, Set<String> unsettled)
            throws SQLException;

    /** Whether {@link #write} reports the rows it stored with the marker unsettled; else the store looks for them. */
    boolean reportsUnsettled();

    @Override
    void close()
            throws SQLException;

    /**
     * SQLite: one probe of the stored versions of the chunk's objects, then the rows as a JDBC batch of
     * {@code INSERT ... VALUES}. The probe runs apart, once per chunk, because an {@code INSERT ... SELECT} whose
     * subqueries read {@code objects} makes SQLite stage each row in a temporary table first (the statement must not
     * read its own rows), which doubled the bytes written per object, and a probe query per row cost a fifth of the
     * writer's time in driver calls. The probe sees every row stored before this chunk; the store hands a chunk each
     * (id, version) once and settles objects met twice in a transaction itself.
     */
    final class Batch
            implements ObjectRowWriter
    {
        private static final String INSERT_OBJECT = """
                INSERT INTO objects (collection_key, object_id, id_hash, version, type, spec_version, created, modified, date_added, json, latest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

        private final Connection connection;
        private final int probeSize;
        private final PreparedStatement insert;
        private PreparedStatement probe;
        private final List<Row> rows = new ArrayList<>();

        /** Rows are probed in groups of up to {@code probeSize}, the parameters of one probe statement. */
        Batch(Connection connection, int probeSize)
                throws SQLException
        {
            this.connection = requireNonNull(connection, "connection is null");
            if (probeSize < 1) {
                throw new IllegalArgumentException("probeSize must be positive: " + probeSize);
            }
            this.probeSize = probeSize;
            this.insert = connection.prepareStatement(INSERT_OBJECT);
        }

        private record Row(StixObject object, long idHash, String versionKey, String createdKey, String modifiedKey, long dateAdded) {}

        @Override
        public void add(long collectionKey, StixObject object, long idHash, String versionKey, String createdKey, String modifiedKey, long dateAdded)
        {
            rows.add(new Row(object, idHash, versionKey, createdKey, modifiedKey, dateAdded));
        }

        @Override
        public boolean reportsUnsettled()
        {
            return true;
        }

        @Override
        public int[] write(long collectionKey, Set<String> unsettled)
                throws SQLException
        {
            // id -> its stored versions, for the chunk's objects that have any (none, in a fresh import).
            Map<String, List<String>> stored = new HashMap<>();
            for (int first = 0; first < rows.size(); first += probeSize) {
                probe(collectionKey, rows.subList(first, Math.min(rows.size(), first + probeSize)), stored);
            }
            boolean[] batched = new boolean[rows.size()];
            for (int index = 0; index < rows.size(); index++) {
                Row row = rows.get(index);
                List<String> versions = stored.getOrDefault(row.object().id(), List.of());
                if (versions.contains(row.versionKey())) {
                    continue;
                }
                if (!versions.isEmpty()) {
                    unsettled.add(row.object().id());
                }
                batched[index] = true;
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
                insert.setInt(11, versions.isEmpty() ? 1 : LATEST_UNSETTLED);
                insert.addBatch();
            }
            int[] inserted = insert.executeBatch();
            int[] counts = new int[rows.size()];
            int next = 0;
            for (int index = 0; index < rows.size(); index++) {
                counts[index] = batched[index] ? inserted[next++] : 0;
            }
            if (next != inserted.length) {
                throw new IllegalStateException("the batch reported " + inserted.length + " counts for " + next + " rows");
            }
            rows.clear();
            return counts;
        }

        /** Adds the stored versions of the objects of {@code group} to {@code stored}. */
        private void probe(long collectionKey, List<Row> group, Map<String, List<String>> stored)
                throws SQLException
        {
            if (probe == null) {
                String hashes = String.join(", ", Collections.nCopies(probeSize, "?"));
                probe = connection.prepareStatement("SELECT object_id, version FROM objects WHERE collection_key = ? AND id_hash IN (" + hashes + ")");
            }
            probe.setLong(1, collectionKey);
            for (int index = 0; index < probeSize; index++) {
                // A shorter group repeats its last hash: the statement keeps one shape, and IN ignores repeats.
                probe.setLong(index + 2, group.get(Math.min(index, group.size() - 1)).idHash());
            }
            try (ResultSet found = probe.executeQuery()) {
                while (found.next()) {
                    // Keyed by the id found: rows of other ids that share a hash with the group's are never asked for.
                    stored.computeIfAbsent(found.getString(1), id -> new ArrayList<>()).add(found.getString(2));
                }
            }
        }

        @Override
        public void close()
                throws SQLException
        {
            try (insert) {
                if (probe != null) {
                    probe.close();
                }
            }
        }
    }

    /**
     * PostgreSQL: COPY into a temporary table, then one {@code INSERT ... SELECT} with the same probes and dates
     * added as the shared DML. The probes read the statement's snapshot, so a row never sees another row of the
     * same statement: the store settles objects met twice in a call afterwards, and hands a chunk each version once.
     */
    final class Copy
            implements ObjectRowWriter
    {
        // Dropped at commit or rollback: a pooled connection never carries staged rows to its next transaction.
        private static final String CREATE_STAGED_OBJECTS = """
                CREATE TEMPORARY TABLE staged_objects (date_added BIGINT NOT NULL, object_id TEXT NOT NULL, id_hash BIGINT NOT NULL,
                    version TEXT NOT NULL, type TEXT NOT NULL, spec_version TEXT NOT NULL, created TEXT, modified TEXT, json TEXT NOT NULL)
                    ON COMMIT DROP""";
        private static final String COPY_STAGED_OBJECTS = "COPY staged_objects (date_added, object_id, id_hash, version, type, spec_version, created, modified, json) FROM STDIN";
        // Both probes are scalar subqueries, not EXISTS: PostgreSQL planned EXISTS here as a hashed subplan (or a
        // hash anti-join) that read every row of the collection once per chunk, a cost growing with the store.
        private static final String INSERT_STAGED_OBJECTS = """
                INSERT INTO objects (collection_key, object_id, id_hash, version, type, spec_version, created, modified, date_added, json, latest)
                SELECT ?, s.object_id, s.id_hash, s.version, s.type, s.spec_version, s.created, s.modified, s.date_added, s.json,
                    COALESCE((SELECT %d FROM objects n WHERE n.collection_key = ? AND n.id_hash = s.id_hash AND n.object_id = s.object_id LIMIT 1), 1)
                FROM staged_objects s
                WHERE (SELECT 1 FROM objects d WHERE d.collection_key = ? AND d.id_hash = s.id_hash AND d.object_id = s.object_id
                    AND d.version = s.version LIMIT 1) IS NULL
                ORDER BY s.date_added""".formatted(LATEST_UNSETTLED);

        private final Connection connection;
        // COPY's text format: one line per row, columns separated by tabs.
        private final StringBuilder staged = new StringBuilder();
        private int rows;
        private boolean created;
        private PreparedStatement insert;

        Copy(Connection connection)
        {
            this.connection = requireNonNull(connection, "connection is null");
        }

        @Override
        public void add(long collectionKey, StixObject object, long idHash, String versionKey, String createdKey, String modifiedKey, long dateAdded)
        {
            rows++;
            staged.append(dateAdded).append('\t');
            appendField(object.id());
            staged.append(idHash).append('\t');
            appendField(versionKey);
            appendField(object.type());
            appendField(object.specVersion());
            appendField(createdKey);
            appendField(modifiedKey);
            appendText(object.json());
            staged.append('\n');
        }

        private void appendField(String value)
        {
            if (value == null) {
                staged.append("\\N");
            }
            else {
                appendText(value);
            }
            staged.append('\t');
        }

        /** A value in COPY's text format: backslash and the characters that separate columns and rows escaped. */
        private void appendText(String value)
        {
            for (int index = 0; index < value.length(); index++) {
                char character = value.charAt(index);
                switch (character) {
                    case '\\' -> staged.append("\\\\");
                    case '\t' -> staged.append("\\t");
                    case '\n' -> staged.append("\\n");
                    case '\r' -> staged.append("\\r");
                    default -> staged.append(character);
                }
            }
        }

        @Override
        public boolean reportsUnsettled()
        {
            return false;
        }

        @Override
        public int[] write(long collectionKey, Set<String> unsettled)
                throws SQLException
        {
            try (Statement statement = connection.createStatement()) {
                // Created by the transaction's first chunk and emptied for each later one.
                statement.execute(created ? "TRUNCATE staged_objects" : CREATE_STAGED_OBJECTS);
            }
            created = true;
            byte[] bytes = staged.toString().getBytes(StandardCharsets.UTF_8);
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_STAGED_OBJECTS);
            try {
                copy.writeToCopy(bytes, 0, bytes.length);
                copy.endCopy();
            }
            finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            if (insert == null) {
                insert = connection.prepareStatement(INSERT_STAGED_OBJECTS);
            }
            insert.setLong(1, collectionKey);
            insert.setLong(2, collectionKey);
            insert.setLong(3, collectionKey);
            int inserted = insert.executeUpdate();
            int[] counts = new int[rows];
            // The total says every row's outcome when it is all or none; otherwise the store reads them back.
            Arrays.fill(counts, inserted == rows ? 1 : inserted == 0 ? 0 : Statement.SUCCESS_NO_INFO);
            staged.setLength(0);
            rows = 0;
            return counts;
        }

        @Override
        public void close()
                throws SQLException
        {
            if (insert != null) {
                insert.close();
            }
        }
    }
}
