package org.vigie.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.vigie.stix.StixObject;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Writes the rows of an add transaction, one chunk at a time, each row offered the date added the store
 * reserved for it: inserted unless its object's version is stored already (then left as it is), with the
 * latest marker 1 when its object had no row before the chunk and {@link #LATEST_UNSETTLED} otherwise.
 * {@link #write} answers the driver's counts for the chunk: 1 or 0 per row when known, else
 * {@link Statement#SUCCESS_NO_INFO}, and the store reads the outcome back by date added.
 *
 * <p>Two ways to the same rows: SQLite runs the shared {@code INSERT} as a JDBC batch; PostgreSQL copies the
 * chunk into a temporary table and stores it with one {@code INSERT ... SELECT}, because parsing and binding
 * the batch's multi-row {@code VALUES} (eleven parameters per row) cost its server about half of each
 * object's time.
 */
sealed interface ObjectRowWriter
        extends AutoCloseable
{
    // The latest marker of a row stored beside other rows of its object, until the end of its transaction sets it
    // to 1 or 0 from all of them; never committed, so pages (latest = 1) never see it.
    int LATEST_UNSETTLED = 2;

    /** Adds one row to the chunk being written. */
    void add(long collectionKey, StixObject object, String versionKey, String createdKey, String modifiedKey, long dateAdded)
            throws SQLException;

    /** Writes the rows added since the last call, whose dates added start at {@code firstDateAdded} and follow the order of addition. */
    int[] write(long collectionKey, long firstDateAdded)
            throws SQLException;

    @Override
    void close()
            throws SQLException;

    /** The shared DML as a JDBC batch (SQLite). */
    final class Batch
            implements ObjectRowWriter
    {
        private static final String INSERT_OBJECT = """
                INSERT INTO objects (collection_key, object_id, version, type, spec_version, created, modified, date_added, json, latest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN EXISTS (SELECT 1 FROM objects n WHERE n.collection_key = ? AND n.object_id = ?)
                    THEN %d ELSE 1 END)
                ON CONFLICT (collection_key, object_id, version) DO NOTHING""".formatted(LATEST_UNSETTLED);

        private final PreparedStatement insert;

        Batch(Connection connection)
                throws SQLException
        {
            this.insert = requireNonNull(connection, "connection is null").prepareStatement(INSERT_OBJECT);
        }

        @Override
        public void add(long collectionKey, StixObject object, String versionKey, String createdKey, String modifiedKey, long dateAdded)
                throws SQLException
        {
            insert.setLong(1, collectionKey);
            insert.setString(2, object.id());
            insert.setString(3, versionKey);
            insert.setString(4, object.type());
            insert.setString(5, object.specVersion());
            insert.setString(6, createdKey);
            insert.setString(7, modifiedKey);
            insert.setLong(8, dateAdded);
            insert.setString(9, object.json());
            insert.setLong(10, collectionKey);
            insert.setString(11, object.id());
            insert.addBatch();
        }

        @Override
        public int[] write(long collectionKey, long firstDateAdded)
                throws SQLException
        {
            return insert.executeBatch();
        }

        @Override
        public void close()
                throws SQLException
        {
            insert.close();
        }
    }

    /**
     * PostgreSQL: COPY into a temporary table, then one {@code INSERT ... SELECT} with the same probe, conflict
     * rule and dates added as the shared DML. The probe reads the statement's snapshot, so, as with a multi-row
     * insert, a row never sees another row of the same statement (the store settles objects met twice in a call
     * afterwards); rows are inserted in position order, so the first of two equal versions in a chunk is kept.
     */
    final class Copy
            implements ObjectRowWriter
    {
        // Dropped at commit or rollback: a pooled connection never carries staged rows to its next transaction.
        private static final String CREATE_STAGED_OBJECTS = """
                CREATE TEMPORARY TABLE staged_objects (position INTEGER NOT NULL, object_id TEXT NOT NULL, version TEXT NOT NULL,
                    type TEXT NOT NULL, spec_version TEXT NOT NULL, created TEXT, modified TEXT, json TEXT NOT NULL) ON COMMIT DROP""";
        private static final String COPY_STAGED_OBJECTS = "COPY staged_objects (position, object_id, version, type, spec_version, created, modified, json) FROM STDIN";
        // The probe is a scalar subquery, not EXISTS: PostgreSQL planned EXISTS here as a hashed subplan that read
        // every row of the collection once per chunk, a cost growing with the store.
        private static final String INSERT_STAGED_OBJECTS = """
                INSERT INTO objects (collection_key, object_id, version, type, spec_version, created, modified, date_added, json, latest)
                SELECT ?, s.object_id, s.version, s.type, s.spec_version, s.created, s.modified, ? + s.position, s.json,
                    COALESCE((SELECT %d FROM objects n WHERE n.collection_key = ? AND n.object_id = s.object_id LIMIT 1), 1)
                FROM staged_objects s ORDER BY s.position
                ON CONFLICT (collection_key, object_id, version) DO NOTHING""".formatted(LATEST_UNSETTLED);

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
        public void add(long collectionKey, StixObject object, String versionKey, String createdKey, String modifiedKey, long dateAdded)
        {
            staged.append(rows++).append('\t');
            appendField(object.id());
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
        public int[] write(long collectionKey, long firstDateAdded)
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
            insert.setLong(2, firstDateAdded);
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
