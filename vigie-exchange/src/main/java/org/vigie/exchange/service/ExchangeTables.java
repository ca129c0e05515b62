package org.vigie.exchange.service;

import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.database.PartnerHoldings;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outbox, the received-objects (provenance) table and the inbox receipts. Plain SQL that runs
 * unchanged on SQLite and PostgreSQL; every method works on the caller's connection so that it
 * joins the caller's transaction. Times are epoch milliseconds.
 */
final class ExchangeTables
{
    static final String OUTBOX = "vigie_exchange_outbox";
    static final String OUTBOX_OBJECT = "vigie_exchange_outbox_object";
    static final String RECEIVED = "vigie_exchange_received_object";
    static final String INBOX = "vigie_exchange_inbox_receipt";
    static final String PROPAGATED = "vigie_exchange_propagated_version";

    /** Ids per {@code IN} list: far below SQLite's and PostgreSQL's limits on parameters. */
    private static final int IN_LIST_SIZE = 500;
    /**
     * Every state but STORED, spelled out: {@code state <> 'STORED'} cannot use the index on (state, partner_id,
     * sequence), so each delivery round scanned the partner's whole outbox history, which only grows.
     */
    private static final String UNDELIVERED_STATES = undeliveredStates();
    private static final String OUTBOX_COLUMNS = "partner_id, sequence, envelope_id, kind, object_ids, state, attempts, next_attempt_at, created_at, last_error, receipt";

    private ExchangeTables() {}

    static void create(ExchangeDatabase database)
    {
        database.createTables("the exchange outbox and inbox",
                "CREATE TABLE IF NOT EXISTS " + OUTBOX + " (partner_id TEXT NOT NULL, sequence BIGINT NOT NULL, envelope_id TEXT NOT NULL UNIQUE, "
                        + "kind TEXT NOT NULL, object_ids TEXT NOT NULL, envelope TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, "
                        + "next_attempt_at BIGINT NOT NULL, created_at BIGINT NOT NULL, last_error TEXT, receipt TEXT, PRIMARY KEY (partner_id, sequence))",
                "CREATE INDEX IF NOT EXISTS " + OUTBOX + "_state ON " + OUTBOX + " (state, partner_id, sequence)",
                "CREATE TABLE IF NOT EXISTS " + OUTBOX_OBJECT + " (object_id TEXT NOT NULL, partner_id TEXT NOT NULL, sequence BIGINT NOT NULL, kind TEXT NOT NULL, "
                        + "PRIMARY KEY (object_id, partner_id, sequence))",
                "CREATE TABLE IF NOT EXISTS " + RECEIVED + " (object_id TEXT NOT NULL, object_version TEXT NOT NULL, partner_id TEXT NOT NULL, envelope_id TEXT NOT NULL, "
                        + "handling TEXT NOT NULL, marking_ids TEXT NOT NULL, received_at BIGINT NOT NULL, recalled_at BIGINT, PRIMARY KEY (object_id, object_version))",
                "CREATE TABLE IF NOT EXISTS " + INBOX + " (envelope_id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, sequence BIGINT NOT NULL, "
                        + "envelope_sha256 TEXT NOT NULL, receipt TEXT NOT NULL, received_at BIGINT NOT NULL)");
    }

    private static String undeliveredStates()
    {
        StringBuilder states = new StringBuilder("(");
        for (OutboxState state : OutboxState.values()) {
            boolean undelivered = switch (state) {
                case PENDING, DELIVERED, VERIFIED, REJECTED -> true;
                case STORED -> false;
            };
            if (undelivered) {
                states.append(states.length() == 1 ? "" : ", ").append('\'').append(state.name()).append('\'');
            }
        }
        return states.append(')').toString();
    }

    // --- outbox ---

    static long nextSequence(Connection connection, String partnerId)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COALESCE(MAX(sequence), 0) + 1 FROM " + OUTBOX + " WHERE partner_id = ?")) {
            statement.setString(1, partnerId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    static void enqueue(Connection connection, String partnerId, long sequence, String envelopeId, EnvelopeKind kind, List<String> objectIds, String jws, Instant now)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + OUTBOX
                + " (partner_id, sequence, envelope_id, kind, object_ids, envelope, state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
            statement.setString(1, partnerId);
            statement.setLong(2, sequence);
            statement.setString(3, envelopeId);
            statement.setString(4, kind.name());
            statement.setString(5, jsonList(objectIds));
            statement.setString(6, jws);
            statement.setString(7, OutboxState.PENDING.name());
            statement.setLong(8, now.toEpochMilli());
            statement.setLong(9, now.toEpochMilli());
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + OUTBOX_OBJECT + " (object_id, partner_id, sequence, kind) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (object_id, partner_id, sequence) DO NOTHING")) {
            for (String objectId : objectIds) {
                statement.setString(1, objectId);
                statement.setString(2, partnerId);
                statement.setLong(3, sequence);
                statement.setString(4, kind.name());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Partners with an envelope not yet stored, sorted. */
    static List<String> partnersWithUndelivered(Connection connection)
            throws SQLException
    {
        List<String> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT partner_id FROM " + OUTBOX + " WHERE state IN " + UNDELIVERED_STATES + " ORDER BY partner_id")) {
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
        }
        return result;
    }

    /** The partner's oldest envelopes not yet stored, at most {@code limit}, in sequence order, with their signed text. */
    static List<Pending> oldestUndelivered(Connection connection, String partnerId, int limit)
            throws SQLException
    {
        List<Pending> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + OUTBOX_COLUMNS + ", envelope FROM " + OUTBOX
                // From the oldest undelivered sequence (found through the state index) along the primary key:
                // envelopes are stored in order, so what follows it is undelivered too.
                + " WHERE partner_id = ? AND sequence >= (SELECT MIN(sequence) FROM " + OUTBOX + " WHERE state IN " + UNDELIVERED_STATES + " AND partner_id = ?)"
                + " AND state IN " + UNDELIVERED_STATES + " ORDER BY sequence LIMIT ?")) {
            statement.setString(1, partnerId);
            statement.setString(2, partnerId);
            statement.setInt(3, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(new Pending(entry(rows), rows.getString(12)));
                }
            }
        }
        return result;
    }

    record Pending(OutboxEntry entry, String jws) {}

    static void recordAttempt(Connection connection, OutboxEntry entry, OutboxState state, Optional<String> error, Optional<String> signedReceipt, Instant nextAttempt)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + OUTBOX
                + " SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?, receipt = COALESCE(?, receipt) WHERE partner_id = ? AND sequence = ?")) {
            statement.setString(1, state.name());
            statement.setLong(2, nextAttempt.toEpochMilli());
            statement.setString(3, error.orElse(null));
            statement.setString(4, signedReceipt.orElse(null));
            statement.setString(5, entry.partnerId());
            statement.setLong(6, entry.sequence());
            statement.executeUpdate();
        }
    }

    static List<OutboxEntry> outbox(Connection connection, String partnerId)
            throws SQLException
    {
        List<OutboxEntry> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + OUTBOX_COLUMNS + " FROM " + OUTBOX + " WHERE partner_id = ? ORDER BY sequence")) {
            statement.setString(1, partnerId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(entry(rows));
                }
            }
        }
        return result;
    }

    /** Outbox entries of this kind that carry the object, sorted by partner then sequence. */
    static List<OutboxEntry> entriesWithObject(Connection connection, String objectId, EnvelopeKind kind)
            throws SQLException
    {
        List<OutboxEntry> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + prefixed("o.") + " FROM " + OUTBOX + " o JOIN " + OUTBOX_OBJECT
                + " x ON x.partner_id = o.partner_id AND x.sequence = o.sequence WHERE x.object_id = ? AND x.kind = ? ORDER BY o.partner_id, o.sequence")) {
            statement.setString(1, objectId);
            statement.setString(2, kind.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(entry(rows));
                }
            }
        }
        return result;
    }

    private static String prefixed(String alias)
    {
        StringBuilder columns = new StringBuilder();
        for (String column : OUTBOX_COLUMNS.split(", ")) {
            if (!columns.isEmpty()) {
                columns.append(", ");
            }
            columns.append(alias).append(column);
        }
        return columns.toString();
    }

    private static OutboxEntry entry(ResultSet rows)
            throws SQLException
    {
        String receipt = rows.getString(11);
        return new OutboxEntry(
                rows.getString(1),
                rows.getLong(2),
                rows.getString(3),
                EnvelopeKind.valueOf(rows.getString(4)),
                parseList(rows.getString(5)),
                OutboxState.valueOf(rows.getString(6)),
                rows.getInt(7),
                Instant.ofEpochMilli(rows.getLong(8)),
                Instant.ofEpochMilli(rows.getLong(9)),
                Optional.ofNullable(rows.getString(10)),
                Optional.ofNullable(receipt).map(Receipt::fromSigned));
    }

    /**
     * Partners holding this object, sorted: those whose latest outbox envelope mentioning it released it (rather than
     * recalled it), and those that read it over TAXII or got it in an export since their last recall of it.
     */
    static List<String> holders(Connection connection, String objectId)
            throws SQLException
    {
        return holders(connection, List.of(objectId)).getOrDefault(objectId, List.of());
    }

    /** As {@link #holders(Connection, String)} for many objects at once: object id to its holders, for the objects some partner holds. */
    static Map<String, List<String>> holders(Connection connection, Collection<String> objectIds)
            throws SQLException
    {
        // Per object, per partner: the kind of the latest envelope (rows come in sequence order).
        Map<String, TreeMap<String, String>> latestKind = new HashMap<>();
        forChunks(connection, "SELECT object_id, partner_id, kind FROM " + OUTBOX_OBJECT + " WHERE object_id IN (%s) ORDER BY object_id, partner_id, sequence", objectIds, rows ->
                latestKind.computeIfAbsent(rows.getString(1), key -> new TreeMap<>()).put(rows.getString(2), rows.getString(3)));
        Map<String, TreeSet<String>> holding = new HashMap<>();
        latestKind.forEach((objectId, kinds) -> kinds.forEach((partnerId, kind) -> {
            if (kind.equals(EnvelopeKind.RELEASE.name())) {
                holding.computeIfAbsent(objectId, key -> new TreeSet<>()).add(partnerId);
            }
        }));
        // Partners that read the object over TAXII or got it in an export hold it too (a recall removed their row).
        PartnerHoldings.readers(connection, objectIds).forEach((objectId, partnerIds) -> holding.computeIfAbsent(objectId, key -> new TreeSet<>()).addAll(partnerIds));
        Map<String, List<String>> result = new HashMap<>();
        holding.forEach((objectId, partnerIds) -> result.put(objectId, List.copyOf(partnerIds)));
        return result;
    }

    // --- versions propagated to holders ---

    /** Of these partners, those to which this version of the object was already propagated (sent or recalled), sorted. */
    static Set<String> propagatedTo(Connection connection, String objectId, String version)
            throws SQLException
    {
        Set<String> result = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT partner_id FROM " + PROPAGATED + " WHERE object_id = ? AND object_version = ?")) {
            statement.setString(1, objectId);
            statement.setString(2, version);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
        }
        return result;
    }

    /**
     * Records that this version of the object was propagated to the partner: {@code kind} RELEASE, RECALL, or SKIPPED
     * (a holder no longer registered); a second record changes nothing.
     */
    static void recordPropagated(Connection connection, String objectId, String version, String partnerId, String kind, Instant now)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + PROPAGATED + " (object_id, object_version, partner_id, kind, propagated_at) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (object_id, object_version, partner_id) DO NOTHING")) {
            statement.setString(1, objectId);
            statement.setString(2, version);
            statement.setString(3, partnerId);
            statement.setString(4, kind);
            statement.setLong(5, now.toEpochMilli());
            statement.executeUpdate();
        }
    }

    /** The partner each of these objects was first received from, for those received at all. */
    static Map<String, String> origins(Connection connection, Collection<String> objectIds)
            throws SQLException
    {
        Map<String, String> result = new HashMap<>();
        forChunks(connection, "SELECT object_id, partner_id FROM " + RECEIVED + " WHERE object_id IN (%s) ORDER BY object_id, received_at, object_version", objectIds,
                rows -> result.putIfAbsent(rows.getString(1), rows.getString(2)));
        return result;
    }

    private interface RowHandler
    {
        void handle(ResultSet rows)
                throws SQLException;
    }

    /** Runs a query whose {@code %s} is a list of placeholders over the ids, a bounded number of ids at a time. */
    private static void forChunks(Connection connection, String sql, Collection<String> ids, RowHandler handler)
            throws SQLException
    {
        List<String> distinct = List.copyOf(new TreeSet<>(ids));
        for (int start = 0; start < distinct.size(); start += IN_LIST_SIZE) {
            List<String> chunk = distinct.subList(start, Math.min(distinct.size(), start + IN_LIST_SIZE));
            try (PreparedStatement statement = connection.prepareStatement(String.format(sql, String.join(", ", Collections.nCopies(chunk.size(), "?"))))) {
                for (int index = 0; index < chunk.size(); index++) {
                    statement.setString(index + 1, chunk.get(index));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        handler.handle(rows);
                    }
                }
            }
        }
    }

    // --- received objects ---

    static void recordReceived(Connection connection, List<ReceivedObject> received)
            throws SQLException
    {
        // The first partner an object version came from stays its origin.
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + RECEIVED
                + " (object_id, object_version, partner_id, envelope_id, handling, marking_ids, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (object_id, object_version) DO NOTHING")) {
            // The objects of one envelope share its handling: written once per envelope, not per object.
            List<String> handling = null;
            String handlingJson = null;
            for (ReceivedObject object : received) {
                if (!object.handling().equals(handling)) {
                    handling = object.handling();
                    handlingJson = jsonList(handling);
                }
                statement.setString(1, object.objectId());
                statement.setString(2, object.version());
                statement.setString(3, object.partnerId());
                statement.setString(4, object.envelopeId());
                statement.setString(5, handlingJson);
                statement.setString(6, jsonList(object.markingIds()));
                statement.setLong(7, object.received().toEpochMilli());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    static List<ReceivedObject> received(Connection connection, String objectId)
            throws SQLException
    {
        return received(connection, List.of(objectId)).getOrDefault(objectId, List.of());
    }

    /** As {@link #received(Connection, String)} for many objects, a chunk of ids per query: object id to its rows, for those received at all. */
    static SortedMap<String, List<ReceivedObject>> received(Connection connection, Collection<String> objectIds)
            throws SQLException
    {
        SortedMap<String, List<ReceivedObject>> result = new TreeMap<>();
        forChunks(connection, "SELECT object_id, object_version, partner_id, envelope_id, handling, marking_ids, received_at, recalled_at FROM "
                + RECEIVED + " WHERE object_id IN (%s) ORDER BY object_id, received_at, object_version", objectIds, rows -> {
                    long recalled = rows.getLong(8);
                    Optional<Instant> recalledAt = rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(recalled));
                    result.computeIfAbsent(rows.getString(1), key -> new ArrayList<>()).add(new ReceivedObject(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), parseList(rows.getString(5)), parseList(rows.getString(6)), Instant.ofEpochMilli(rows.getLong(7)), recalledAt));
                });
        return result;
    }

    static void markRecalled(Connection connection, String objectId, String partnerId, Instant now)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + RECEIVED + " SET recalled_at = ? WHERE object_id = ? AND partner_id = ? AND recalled_at IS NULL")) {
            statement.setLong(1, now.toEpochMilli());
            statement.setString(2, objectId);
            statement.setString(3, partnerId);
            statement.executeUpdate();
        }
    }

    // --- inbox receipts ---

    /** A receipt this node gave, as signed. */
    record StoredReceipt(String partnerId, String envelopeSha256, String signed)
    {
        Receipt receipt()
        {
            return Receipt.fromSigned(signed);
        }
    }

    static Optional<StoredReceipt> inboxReceipt(Connection connection, String envelopeId)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT partner_id, envelope_sha256, receipt FROM " + INBOX + " WHERE envelope_id = ?")) {
            statement.setString(1, envelopeId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new StoredReceipt(rows.getString(1), rows.getString(2), rows.getString(3))) : Optional.empty();
            }
        }
    }

    static void saveInboxReceipt(Connection connection, String envelopeId, String partnerId, long sequence, String envelopeSha256, String signedReceipt, Instant now)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + INBOX
                + " (envelope_id, partner_id, sequence, envelope_sha256, receipt, received_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, envelopeId);
            statement.setString(2, partnerId);
            statement.setLong(3, sequence);
            statement.setString(4, envelopeSha256);
            statement.setString(5, signedReceipt);
            statement.setLong(6, now.toEpochMilli());
            statement.executeUpdate();
        }
    }

    private static String jsonList(List<String> values)
    {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return StixJson.compact(array);
    }

    private static List<String> parseList(String json)
    {
        List<String> result = new ArrayList<>();
        for (JsonNode element : StixJson.parse(json).values()) {
            result.add(element.asString(""));
        }
        return result;
    }
}
