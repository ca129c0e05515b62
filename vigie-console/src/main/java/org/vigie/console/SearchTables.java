package org.vigie.console;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Cursor;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The search index's tables and the DML shared by both vendors (the word index is {@link SearchSql}'s):
 * one row per (collection, object) in {@code search_entries}, the ends of its graph edges in
 * {@code search_edge_ends}, and the indexer's position in {@code search_state}. Rows are found by id through
 * {@link SearchKeys} hashes, and every query compares the ids themselves as well.
 */
final class SearchTables
{
    static final String ENTRY_COLUMNS = "entry_key, collection_id, collection_hash, object_id, object_hash, type, name, name_key, version, date_added, created_by_ref,"
            + " marking_refs, marking_properties, edges, sighted_ref, sighting_time, sighting_count";
    static final String ENTRY_PARAMETERS = parameters(17);
    // What a search result shows and its markings are checked with; no edges (the graph reads those per object).
    static final String RESULT_COLUMNS = "e.entry_key, e.collection_id, e.object_id, e.type, e.name, e.version, e.date_added, e.created_by_ref, e.marking_refs";
    private static final String FULL_COLUMNS = RESULT_COLUMNS + ", e.marking_properties, e.edges, e.sighted_ref, e.sighting_time, e.sighting_count";
    static final String STATE_NAME = "console-search";

    private final SearchDatabase database;
    private final SearchSql sql;

    SearchTables(SearchDatabase database)
    {
        this.database = requireNonNull(database, "database is null");
        this.sql = SearchSql.of(database.vendor());
    }

    SearchSql sql()
    {
        return sql;
    }

    SearchDatabase database()
    {
        return database;
    }

    /** An entry as read back, with its key (higher is newer). */
    record Row(long key, IndexEntry entry) {}

    /** The indexer's position: the log cursor it has indexed up to, and how far the first build from the objects has got. */
    record State(Optional<Cursor> cursor, boolean built, Optional<String> buildCollection, Optional<String> buildNext)
    {
        State
        {
            requireNonNull(cursor, "cursor is null");
            requireNonNull(buildCollection, "buildCollection is null");
            requireNonNull(buildNext, "buildNext is null");
        }
    }

    // --- writing, inside an indexing transaction ---

    /** Writes in one transaction of {@code connection}, its statements prepared once. */
    Writer writer(Connection connection)
            throws SQLException
    {
        return new Writer(connection);
    }

    final class Writer
            implements AutoCloseable
    {
        private final Connection connection;
        private final PreparedStatement lock;
        private final PreparedStatement saveState;
        private final PreparedStatement existing;
        private final PreparedStatement insert;
        private final Optional<PreparedStatement> insertWords;
        private final Optional<PreparedStatement> deleteWords;
        private final PreparedStatement insertEnd;
        private final PreparedStatement deleteEnd;
        private final PreparedStatement deleteEntry;
        // Changes to the entries, the word index and the edge ends, each table's queued in the order made and
        // written by finish() in batches. SQLite's FTS5 writes its pending words out as a new segment whenever
        // another statement of the transaction opens a statement savepoint, as every insert into search_entries
        // does: one tiny segment per entry, merged again and again (measured: the entry insert cost 38 µs with the
        // word table beside it, 15 µs without). And sqlite-jdbc spends about 3.5 µs more on a statement run alone
        // than on a row of a batch, more still on an insert returning its key; so the writer gives the keys itself
        // (nextKey()). Within the transaction entries are read only through `known`, which every change updates,
        // so writing them at the end changes no outcome; within a table the order is kept (an entry may be written
        // and deleted again in one transaction, and a deleted entry's key may be given again).
        private final List<QueuedChange> entryChanges = new ArrayList<>();
        private final List<QueuedChange> wordChanges = new ArrayList<>();
        private final List<QueuedChange> endChanges = new ArrayList<>();
        private final Map<String, Long> collectionHashes = new HashMap<>();
        // What this transaction knows of each (collection, object id)'s entry: read by prefetch() for many ids in one
        // query, then kept current by replace() and remove(). Valid for the transaction only, under the state row's lock.
        private final Map<String, Map<String, Optional<Existing>>> known = new HashMap<>();
        private final String prefetchStatement;
        // The key the next entry gets: one above the highest stored, read once the transaction holds the state row's lock.
        private long nextKey = -1;

        private Writer(Connection connection)
                throws SQLException
        {
            this.connection = connection;
            lock = connection.prepareStatement("UPDATE search_state SET name = name WHERE name = ?");
            saveState = connection.prepareStatement("UPDATE search_state SET cursor_text = ?, built = ?, build_collection = ?, build_next = ? WHERE name = ?");
            existing = connection.prepareStatement("SELECT entry_key, version, date_added, edges FROM search_entries WHERE object_hash = ? AND object_id = ? AND collection_id = ?");
            insert = connection.prepareStatement(sql.insertEntry());
            insertWords = sql.insertWords().isPresent() ? Optional.of(connection.prepareStatement(sql.insertWords().get())) : Optional.empty();
            deleteWords = sql.deleteWords().isPresent() ? Optional.of(connection.prepareStatement(sql.deleteWords().get())) : Optional.empty();
            insertEnd = connection.prepareStatement("INSERT INTO search_edge_ends (end_hash, entry_key) VALUES (?, ?) ON CONFLICT DO NOTHING");
            deleteEnd = connection.prepareStatement("DELETE FROM search_edge_ends WHERE end_hash = ? AND entry_key = ?");
            deleteEntry = connection.prepareStatement("DELETE FROM search_entries WHERE entry_key = ?");
            prefetchStatement = "SELECT object_id, entry_key, version, date_added, edges FROM search_entries WHERE object_hash IN (" + sql.numbersOf() + ")"
                    + " AND collection_id = ?";
        }

        /**
         * Reads the entries of many objects of a collection in one query, for the replace() and remove() calls about
         * them that follow in this transaction (one look-up per object cost a statement each).
         */
        void prefetch(String collectionId, Collection<String> objectIds)
                throws SQLException
        {
            Map<String, Optional<Existing>> entries = known.computeIfAbsent(collectionId, key -> new HashMap<>());
            Set<String> asked = new LinkedHashSet<>();
            objectIds.stream().filter(objectId -> !entries.containsKey(objectId)).forEach(asked::add);
            if (asked.isEmpty()) {
                return;
            }
            asked.forEach(objectId -> entries.put(objectId, Optional.empty()));
            StringBuilder hashes = new StringBuilder("[");
            for (String objectId : asked) {
                hashes.append(hashes.length() > 1 ? "," : "").append(SearchKeys.hash(objectId));
            }
            try (PreparedStatement select = connection.prepareStatement(prefetchStatement)) {
                select.setString(1, hashes.append(']').toString());
                select.setString(2, collectionId);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        // Another id sharing a hash is not one of those asked for.
                        if (asked.contains(result.getString(1))) {
                            entries.put(result.getString(1), Optional.of(new Existing(result.getLong(2), result.getLong(3), result.getLong(4), result.getString(5))));
                        }
                    }
                }
            }
        }

        /** Locks the state row until the transaction ends (replicas' indexers take turns) and reads it. */
        State lockState()
                throws SQLException
        {
            lock.setString(1, STATE_NAME);
            lock.executeUpdate();
            return readState(connection);
        }

        void saveState(State state)
                throws SQLException
        {
            saveState.setString(1, state.cursor().map(Cursor::encode).orElse(null));
            saveState.setBoolean(2, state.built());
            setText(saveState, 3, state.buildCollection());
            setText(saveState, 4, state.buildNext());
            saveState.setString(5, STATE_NAME);
            saveState.executeUpdate();
        }

        /**
         * Makes {@code indexed} the entry of its object: the previous entry's words and edges go, the new entry
         * gets a new (newest) key. An entry of the same version added at the same time is left as it is.
         */
        void replace(SearchIndex.Indexed indexed)
                throws SQLException
        {
            IndexEntry entry = indexed.entry();
            Optional<Existing> previous = existing(entry.collectionId(), entry.id());
            if (previous.isPresent() && previous.get().version() == micros(entry.version()) && previous.get().dateAdded() == micros(entry.dateAdded())) {
                return;
            }
            if (previous.isPresent()) {
                delete(entry.collectionId(), previous.get());
            }
            List<String> words = SearchWords.of(indexed.text());
            long key = nextKey();
            String edges = edgesJson(entry.edges());
            Optional<SearchIndex.SightingFacts> sighting = indexed.sighting();
            // Nulls as they are: the row goes to the queue, bound when written.
            List<Object> row = new ArrayList<>(Arrays.asList(
                    key,
                    entry.collectionId(),
                    collectionHashes.computeIfAbsent(entry.collectionId(), SearchKeys::hash),
                    entry.id(),
                    SearchKeys.hash(entry.id()),
                    entry.type(),
                    entry.name(),
                    entry.name().toLowerCase(Locale.ROOT),
                    micros(entry.version()),
                    micros(entry.dateAdded()),
                    entry.createdByRef().orElse(null),
                    String.join(" ", entry.markingRefs()),
                    markingPropertiesJson(entry.markingProperties()),
                    edges,
                    sighting.map(SearchIndex.SightingFacts::sightedId).orElse(null),
                    sighting.map(facts -> micros(facts.time())).orElse(null),
                    sighting.map(SearchIndex.SightingFacts::count).orElse(null)));
            sql.entryWords(connection, words).ifPresent(row::add);
            entryChanges.add(new QueuedChange(insert, row));
            known.computeIfAbsent(entry.collectionId(), collection -> new HashMap<>())
                    .put(entry.id(), Optional.of(new Existing(key, micros(entry.version()), micros(entry.dateAdded()), edges)));
            if (insertWords.isPresent()) {
                wordChanges.add(new QueuedChange(insertWords.get(), List.of(key, String.join(" ", words))));
            }
            for (String endId : ends(entry.edges())) {
                endChanges.add(new QueuedChange(insertEnd, List.of(SearchKeys.endHash(entry.collectionId(), endId), key)));
            }
        }

        /** Whether the object's entry is of a version newer than {@code versionMicros} (microseconds since the epoch). */
        boolean holdsNewer(String collectionId, String objectId, long versionMicros)
                throws SQLException
        {
            return existing(collectionId, objectId).map(previous -> previous.version() > versionMicros).orElse(false);
        }

        /** Removes the entry of an object no longer in its collection; nothing when there is none. */
        void remove(String collectionId, String objectId)
                throws SQLException
        {
            Optional<Existing> previous = existing(collectionId, objectId);
            if (previous.isPresent()) {
                delete(collectionId, previous.get());
                known.computeIfAbsent(collectionId, collection -> new HashMap<>()).put(objectId, Optional.empty());
            }
        }

        private Optional<Existing> existing(String collectionId, String objectId)
                throws SQLException
        {
            Map<String, Optional<Existing>> entries = known.get(collectionId);
            if (entries != null && entries.containsKey(objectId)) {
                return entries.get(objectId);
            }
            existing.setLong(1, SearchKeys.hash(objectId));
            existing.setString(2, objectId);
            existing.setString(3, collectionId);
            try (ResultSet result = existing.executeQuery()) {
                return result.next() ? Optional.of(new Existing(result.getLong(1), result.getLong(2), result.getLong(3), result.getString(4))) : Optional.empty();
            }
        }

        private void delete(String collectionId, Existing previous)
                throws SQLException
        {
            if (deleteWords.isPresent()) {
                wordChanges.add(new QueuedChange(deleteWords.get(), List.of(previous.key())));
            }
            for (String endId : ends(edges(previous.edges()))) {
                endChanges.add(new QueuedChange(deleteEnd, List.of(SearchKeys.endHash(collectionId, endId), previous.key())));
            }
            entryChanges.add(new QueuedChange(deleteEntry, List.of(previous.key())));
        }

        private long nextKey()
                throws SQLException
        {
            if (nextKey < 0) {
                try (PreparedStatement highest = connection.prepareStatement("SELECT COALESCE(MAX(entry_key), 0) FROM search_entries"); ResultSet result = highest.executeQuery()) {
                    result.next();
                    nextKey = result.getLong(1) + 1;
                }
            }
            return nextKey++;
        }

        /** Writes the queued changes, each table's in the order they were made; call it before the transaction commits. */
        void finish()
                throws SQLException
        {
            write(entryChanges);
            write(wordChanges);
            write(endChanges);
        }

        // Consecutive changes of one statement go as one batch; a change of another statement ends the batch.
        private static void write(List<QueuedChange> changes)
                throws SQLException
        {
            PreparedStatement batch = null;
            for (QueuedChange change : changes) {
                if (batch != null && batch != change.statement()) {
                    batch.executeBatch();
                }
                batch = change.statement();
                for (int index = 0; index < change.parameters().size(); index++) {
                    Object value = change.parameters().get(index);
                    if (value == null) {
                        batch.setNull(index + 1, Types.NULL);
                    }
                    else {
                        batch.setObject(index + 1, value);
                    }
                }
                batch.addBatch();
            }
            if (batch != null) {
                batch.executeBatch();
            }
            changes.clear();
        }

        @Override
        public void close()
                throws SQLException
        {
            for (PreparedStatement statement : List.of(lock, saveState, existing, insert, insertEnd, deleteEnd, deleteEntry)) {
                statement.close();
            }
            if (insertWords.isPresent()) {
                insertWords.get().close();
            }
            if (deleteWords.isPresent()) {
                deleteWords.get().close();
            }
        }
    }

    private record Existing(long key, long version, long dateAdded, String edges) {}

    /** A change queued by a writer: one row's parameters for one of its statements. */
    private record QueuedChange(PreparedStatement statement, List<Object> parameters) {}

    private State readState(Connection connection)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT cursor_text, built, build_collection, build_next FROM search_state WHERE name = ?")) {
            select.setString(1, STATE_NAME);
            try (ResultSet result = select.executeQuery()) {
                if (!result.next()) {
                    throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "search index " + database.location() + ": the row " + STATE_NAME + " of search_state is missing");
                }
                return new State(Optional.ofNullable(result.getString(1)).map(Cursor::decode), result.getBoolean(2),
                        Optional.ofNullable(result.getString(3)), Optional.ofNullable(result.getString(4)));
            }
        }
    }

    // --- reading ---

    /** The cursor indexed up to, as committed (by this process or another replica). */
    State state()
    {
        try (Connection connection = database.connection()) {
            return readState(connection);
        }
        catch (SQLException e) {
            throw failure("read the indexer's position", e);
        }
    }

    /** Up to {@code limit} entries of the collections holding every word (the last as a prefix) with a key below {@code below}, newest first. */
    List<Row> newestMatches(List<String> collectionIds, List<String> words, long below, int limit)
    {
        if (collectionIds.isEmpty() || words.isEmpty()) {
            return List.of();
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(sql.match(words));
        parameters.add(below);
        parameters.addAll(collectionIds);
        parameters.add(limit);
        return rows(sql.newestMatches(RESULT_COLUMNS, collectionIds.size()), parameters, false);
    }

    /** Up to {@code limit} entries whose lower-cased name starts with {@code prefix}, in name order. */
    List<Row> nameStartsWith(List<String> collectionIds, String prefix, int limit)
    {
        if (collectionIds.isEmpty() || prefix.isEmpty()) {
            return List.of();
        }
        List<Object> parameters = new ArrayList<>();
        collectionIds.forEach(collectionId -> parameters.add(SearchKeys.hash(collectionId)));
        parameters.addAll(collectionIds);
        parameters.add(prefix);
        // Above every name continuing the prefix with a character of the Basic Multilingual Plane.
        parameters.add(prefix + '\uffff');
        parameters.add(limit);
        return rows("SELECT " + RESULT_COLUMNS + " FROM search_entries e WHERE e.collection_hash IN (" + parameters(collectionIds.size()) + ")"
                + " AND e.collection_id IN (" + parameters(collectionIds.size()) + ") AND e.name_key >= ? AND e.name_key < ? ORDER BY e.name_key LIMIT ?", parameters, false);
    }

    /** The entries of an object id in any of the collections, with their edges. */
    List<Row> byId(List<String> collectionIds, String objectId)
    {
        if (collectionIds.isEmpty()) {
            return List.of();
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(SearchKeys.hash(objectId));
        parameters.add(objectId);
        parameters.addAll(collectionIds);
        return rows("SELECT " + FULL_COLUMNS + " FROM search_entries e WHERE e.object_hash = ? AND e.object_id = ? AND e.collection_id IN ("
                + parameters(collectionIds.size()) + ")", parameters, true);
    }

    /** The entries of a collection with an edge ending at {@code objectId}, in id order. */
    List<IndexEntry> incident(String collectionId, String objectId)
    {
        List<Row> rows = rows("SELECT " + FULL_COLUMNS + " FROM search_edge_ends n JOIN search_entries e ON e.entry_key = n.entry_key"
                + " WHERE n.end_hash = ? AND e.collection_id = ?", List.of(SearchKeys.endHash(collectionId, objectId), collectionId), true);
        // The hash found them; the edges say whether they really touch the object.
        return rows.stream()
                .map(Row::entry)
                .filter(entry -> entry.edges().stream().anyMatch(edge -> edge.source().equals(objectId) || edge.target().equals(objectId)))
                .sorted(Comparator.comparing(IndexEntry::id))
                .toList();
    }

    /** The sightings of a collection with their facts. */
    List<Map.Entry<IndexEntry, SearchIndex.SightingFacts>> sightings(String collectionId)
    {
        List<Map.Entry<IndexEntry, SearchIndex.SightingFacts>> sightings = new ArrayList<>();
        query("SELECT " + RESULT_COLUMNS + ", e.sighted_ref, e.sighting_time, e.sighting_count FROM search_entries e WHERE e.collection_id = ? AND e.sighted_ref IS NOT NULL",
                List.of(collectionId), result -> {
                    IndexEntry entry = entry(result, false);
                    sightings.add(Map.entry(entry, new SearchIndex.SightingFacts(result.getString(10), instant(result.getLong(11)), result.getLong(12))));
                });
        return sightings;
    }

    private List<Row> rows(String statement, List<Object> parameters, boolean full)
    {
        List<Row> rows = new ArrayList<>();
        query(statement, parameters, result -> rows.add(new Row(result.getLong(1), entry(result, full))));
        return rows;
    }

    interface RowReader
    {
        void read(ResultSet result)
                throws SQLException;
    }

    void query(String statement, List<Object> parameters, RowReader reader)
    {
        try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(statement)) {
            for (int index = 0; index < parameters.size(); index++) {
                select.setObject(index + 1, parameters.get(index));
            }
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    reader.read(result);
                }
            }
        }
        catch (SQLException e) {
            throw failure("read", e);
        }
    }

    // Columns in RESULT_COLUMNS order, then FULL_COLUMNS' when full.
    private static IndexEntry entry(ResultSet result, boolean full)
            throws SQLException
    {
        String markings = result.getString(9);
        List<String> markingRefs = markings.isEmpty() ? List.of() : Arrays.asList(markings.split(" "));
        Map<String, String> markingProperties = Map.of();
        List<IndexEntry.Edge> edges = List.of();
        if (full) {
            JsonNode properties = ConsoleJson.MAPPER.readTree(result.getString(10));
            Map<String, String> read = new TreeMap<>();
            properties.propertyNames().forEach(name -> read.put(name, properties.get(name).stringValue()));
            markingProperties = read;
            edges = edges(result.getString(11));
        }
        return new IndexEntry(result.getString(2), result.getString(3), result.getString(4), result.getString(5), instant(result.getLong(6)), instant(result.getLong(7)),
                Optional.ofNullable(result.getString(8)), markingRefs, edges, markingProperties);
    }

    // Both columns are small JSON of strings only, written for every entry: built directly, since the object
    // mapper's per-call set-up cost more than the text (read back with the mapper, so any valid JSON will do).
    static String markingPropertiesJson(Map<String, String> properties)
    {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> property : new TreeMap<>(properties).entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            appendString(json, property.getKey()).append(':');
            appendString(json, property.getValue());
        }
        return json.append('}').toString();
    }

    static String edgesJson(List<IndexEntry.Edge> edges)
    {
        StringBuilder json = new StringBuilder("[");
        for (IndexEntry.Edge edge : edges) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('[');
            appendString(json, edge.source()).append(',');
            appendString(json, edge.target()).append(',');
            appendString(json, edge.label()).append(',');
            appendString(json, edge.via()).append(']');
        }
        return json.append(']').toString();
    }

    private static StringBuilder appendString(StringBuilder json, String value)
    {
        json.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, json);
        return json.append('"');
    }

    static List<IndexEntry.Edge> edges(String json)
    {
        List<IndexEntry.Edge> edges = new ArrayList<>();
        for (JsonNode node : ConsoleJson.MAPPER.readTree(json)) {
            edges.add(new IndexEntry.Edge(node.get(0).stringValue(), node.get(1).stringValue(), node.get(2).stringValue(), node.get(3).stringValue()));
        }
        return edges;
    }

    private static List<String> ends(List<IndexEntry.Edge> edges)
    {
        return edges.stream().flatMap(edge -> java.util.stream.Stream.of(edge.source(), edge.target())).distinct().sorted().toList();
    }

    static long micros(Instant instant)
    {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static Instant instant(long micros)
    {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    static String parameters(int count)
    {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static void setText(PreparedStatement statement, int index, Optional<String> value)
            throws SQLException
    {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        }
        else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    VigieException failure(String action, SQLException e)
    {
        return new VigieException(ErrorCode.STORE_UNAVAILABLE, "search index " + database.location() + ": cannot " + action + ": " + e.getMessage(), e);
    }
}
