package org.vigie.exchange.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Partners that hold objects they did not get through the outbox: they read them over TAXII (or the exchange's
 * pull) or got them in an export for them. Recalls reach them as they reach pushed holders. Plain SQL on the
 * caller's connection, so it joins the caller's transaction (the one that audits the read, or queues the recall).
 */
public final class PartnerHoldings
{
    static final String TABLE = "vigie_exchange_read_holder";
    /** Ids per {@code IN} list: far below SQLite's and PostgreSQL's limits on parameters. */
    private static final int IN_LIST_SIZE = 500;

    private PartnerHoldings() {}

    /** The partner now holds these objects (read or exported to it at {@code now}). */
    public static void recordRead(Connection connection, String partnerId, Collection<String> objectIds, Instant now)
            throws SQLException
    {
        requireNonNull(partnerId, "partnerId is null");
        requireNonNull(objectIds, "objectIds is null");
        requireNonNull(now, "now is null");
        if (objectIds.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE + " (object_id, partner_id, read_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (object_id, partner_id) DO UPDATE SET read_at = excluded.read_at")) {
            // Sorted, so that concurrent readers touch rows in one order.
            for (String objectId : new TreeSet<>(objectIds)) {
                statement.setString(1, objectId);
                statement.setString(2, partnerId);
                statement.setLong(3, now.toEpochMilli());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** A recall of these objects was queued to the partner: it no longer holds them (until it reads them again). */
    public static void forget(Connection connection, String partnerId, Collection<String> objectIds)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE object_id = ? AND partner_id = ?")) {
            for (String objectId : new TreeSet<>(objectIds)) {
                statement.setString(1, objectId);
                statement.setString(2, partnerId);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Object id to the partners that read it, sorted, for those of {@code objectIds} read at all. */
    public static SortedMap<String, SortedSet<String>> readers(Connection connection, Collection<String> objectIds)
            throws SQLException
    {
        SortedMap<String, SortedSet<String>> result = new TreeMap<>();
        List<String> distinct = List.copyOf(new TreeSet<>(objectIds));
        for (int start = 0; start < distinct.size(); start += IN_LIST_SIZE) {
            List<String> chunk = distinct.subList(start, Math.min(distinct.size(), start + IN_LIST_SIZE));
            try (PreparedStatement statement = connection.prepareStatement("SELECT object_id, partner_id FROM " + TABLE + " WHERE object_id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
                for (int index = 0; index < chunk.size(); index++) {
                    statement.setString(index + 1, chunk.get(index));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        result.computeIfAbsent(rows.getString(1), key -> new TreeSet<>()).add(rows.getString(2));
                    }
                }
            }
        }
        return result;
    }
}
