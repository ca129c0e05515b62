package org.vigie.console;

import org.vigie.stix.StixObject;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The console's index of the latest version of every object, per collection, kept on disk
 * ({@link SearchDatabase}: {@code search.db} beside an SQLite store, or the schema {@code vigie_search} of the
 * store's PostgreSQL database): the words of the searchable properties (names, descriptions, aliases,
 * patterns, observable values, external ids, note and opinion text), what a result row shows, the graph
 * edges (relationships, sightings, reference properties) and each sighting's facts. A {@link SearchIndexer}
 * fills it in the background from the store's event log, outside every store transaction, and it survives
 * restarts. Marking definitions, few and read on every access check, are also kept in memory.
 *
 * <p>Search: every word of the query (letters and digits, case-insensitive) must occur in the object's text,
 * the last one as a prefix (search as you type), or the query is the object's id. Names starting with the
 * query rank first, then names holding it, newest first within a rank. Matches are read newest first,
 * {@value #SCAN_PAGE} at a time, until the page asked for is full (at most {@value #SCAN_LIMIT}): those are
 * ranked and counted, and when more remain the total is a lower bound. Reads wait briefly for the
 * indexer when this process has just written a few objects (a user finds what was just saved); when the
 * index is further behind they answer at once and say by how much.
 */
final class SearchIndex
        implements ObjectEvents.Listener
{
    static final int MAXIMUM_TEXT = 2_000;
    static final int SCAN_PAGE = 1_000;
    static final int SCAN_LIMIT = 10_000;
    // Lags up to this many events are waited for, at most FRESH_WAIT_MILLISECONDS; larger ones are reported.
    static final long FRESH_WAIT_EVENTS = 10_000;
    private static final long FRESH_WAIT_MILLISECONDS = 5_000;
    private static final int LOAD_PAGE = 1_000;
    // The JSON of the objects just written that the indexer may take instead of reading them back (about 32 MB of
    // heap for ASCII text): a second of writing at 20,000 objects/s of 1.5 KiB.
    private static final long RECENT_CHARACTERS = 32L * 1024 * 1024;
    private static final List<String> TEXT_PROPERTIES = List.of("name", "aliases", "x_mitre_aliases", "description", "pattern", "value", "abstract", "content", "explanation", "opinion", "path", "display_name", "number", "key", "body", "subject");

    // One string per object type for many entries.
    private static final Map<String, String> TYPES = new ConcurrentHashMap<>();

    private final ObjectStore store;
    private final SearchTables tables;
    private final RecentObjects recent = new RecentObjects(RECENT_CHARACTERS);
    private final SearchIndexer indexer;
    private final SightingQueries sightingQueries;
    // Set by every write of this process, cleared when a read has seen the index catch up: reads that find it
    // clear skip asking the databases how far behind the index is.
    private final AtomicBoolean written = new AtomicBoolean(true);
    private volatile long largeLagUntil = System.nanoTime();
    // Marking-definition id to the collections holding it; read per collection without reading the whole collection.
    private final Map<String, Map<String, IndexEntry>> definitions = new ConcurrentHashMap<>();
    private final Set<String> definitionsLoaded = ConcurrentHashMap.newKeySet();

    SearchIndex(ObjectStore store, SearchDatabase database)
    {
        this.store = requireNonNull(store, "store is null");
        this.tables = new SearchTables(requireNonNull(database, "database is null"));
        this.sightingQueries = new SightingQueries(tables);
        this.indexer = new SearchIndexer(store, tables, recent, entry -> {
            if (entry.type().equals("marking-definition")) {
                putDefinition(entry);
            }
        });
    }

    /** Found entries, how many there are ({@code exact} false: at least that many), and how many objects the index lacked. */
    record SearchResult(List<IndexEntry> hits, long total, boolean exact, long behind)
    {
        SearchResult
        {
            hits = List.copyOf(requireNonNull(hits, "hits is null"));
        }
    }

    /** Starts indexing in the background: the first start builds the index from the store without delaying the caller. */
    void start()
    {
        indexer.start();
    }

    @Override
    public void added(ObjectEvent event)
    {
        switch (event.direction()) {
            case STORED, RECEIVED -> {
                recent.put(event.collectionId(), new StoredObject(event.object(), event.dateAdded()));
                written.set(true);
                indexer.ring();
                // The header's type, so that only marking definitions are parsed here.
                if (event.object().type().equals("marking-definition")) {
                    entry(event.collectionId(), event.object(), event.dateAdded()).ifPresent(this::putDefinition);
                }
            }
            case RELEASED -> { }
        }
    }

    @Override
    public void deleted(String collectionId, String objectId)
    {
        recent.forget(collectionId, objectId);
        written.set(true);
        indexer.ring();
        Map<String, IndexEntry> holders = definitions.get(objectId);
        if (holders != null) {
            holders.remove(collectionId);
        }
    }

    /** Searches the given collections: every word of {@code query} must occur (the last as a prefix, case-insensitive), or the query is an id. */
    SearchResult search(Collection<String> collectionIds, String query, Predicate<IndexEntry> filter, int limit)
    {
        long behind = awaitFresh(true);
        String stripped = query.strip();
        String normalized = stripped.toLowerCase(Locale.ROOT);
        List<String> collections = List.copyOf(collectionIds);
        List<String> words = SearchWords.of(stripped);
        List<List<IndexEntry>> ranked = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Set<Long> seen = new HashSet<>();
        long total = 0;
        for (SearchTables.Row row : tables.byId(collections, stripped)) {
            seen.add(row.key());
            if (filter.test(row.entry())) {
                total++;
                add(ranked.get(0), row.entry(), limit);
            }
        }
        boolean exact = true;
        if (!words.isEmpty()) {
            // Names starting with the query whose own words match it (so the entry's text does too; asking the word
            // index about each name cost 2 ms a name).
            List<SearchTables.Row> named = new ArrayList<>(tables.nameStartsWith(collections, normalized, limit));
            named.removeIf(row -> !SearchWords.matches(SearchWords.of(row.entry().name()), words));
            named.sort(Comparator.comparingLong(SearchTables.Row::key).reversed());
            for (SearchTables.Row row : named) {
                if (seen.add(row.key()) && filter.test(row.entry())) {
                    total++;
                    add(ranked.get(0), row.entry(), limit);
                }
            }
            // Newest matches a page at a time, until the answer's page is full (or every match is read); at most
            // SCAN_LIMIT. Each row read costs: reading every match of a common word took 50-250 ms at 1,000,000 objects.
            long below = Long.MAX_VALUE;
            long scanned = 0;
            while (true) {
                List<SearchTables.Row> page = tables.newestMatches(collections, words, below, SCAN_PAGE);
                for (SearchTables.Row row : page) {
                    below = row.key();
                    if (!seen.add(row.key()) || !filter.test(row.entry())) {
                        continue;
                    }
                    total++;
                    // Once the first bucket is full, later entries cannot enter the page: they are only counted.
                    if (ranked.get(0).size() < limit) {
                        add(ranked.get(rank(row.entry().name(), normalized)), row.entry(), limit);
                    }
                }
                scanned += page.size();
                if (page.size() < SCAN_PAGE) {
                    break;
                }
                if (total >= limit || scanned >= SCAN_LIMIT) {
                    exact = false;
                    break;
                }
            }
        }
        List<IndexEntry> hits = new ArrayList<>();
        for (List<IndexEntry> bucket : ranked) {
            for (IndexEntry entry : bucket) {
                if (hits.size() < limit) {
                    hits.add(entry);
                }
            }
        }
        return new SearchResult(hits, total, exact, behind);
    }

    // 0: the name starts with the query, 1: the name holds it, 2: only other text does. Case-insensitive, no copy of the name.
    private static int rank(String name, String query)
    {
        if (name.regionMatches(true, 0, query, 0, query.length())) {
            return 0;
        }
        for (int start = 1; start + query.length() <= name.length(); start++) {
            if (name.regionMatches(true, start, query, 0, query.length())) {
                return 1;
            }
        }
        return 2;
    }

    private static void add(List<IndexEntry> bucket, IndexEntry entry, int limit)
    {
        if (bucket.size() < limit) {
            bucket.add(entry);
        }
    }

    Optional<IndexEntry> find(String collectionId, String objectId)
    {
        return findAny(objectId, List.of(collectionId));
    }

    /** The object in the first of the collections holding it. */
    Optional<IndexEntry> findAny(String objectId, Collection<String> collectionIds)
    {
        awaitFresh(false);
        List<String> collections = List.copyOf(collectionIds);
        return tables.byId(collections, objectId).stream()
                .map(SearchTables.Row::entry)
                .min(Comparator.comparingInt(entry -> collections.indexOf(entry.collectionId())));
    }

    /** The entries of a collection whose edges touch the object. */
    List<IndexEntry> incident(String collectionId, String objectId)
    {
        awaitFresh(false);
        return tables.incident(collectionId, objectId);
    }

    /** A marking-definition held in one of the given collections. */
    Optional<IndexEntry> definition(String markingId, Collection<String> collectionIds)
    {
        for (String collectionId : collectionIds) {
            if (definitionsLoaded.add(collectionId)) {
                loadDefinitions(collectionId);
            }
        }
        Map<String, IndexEntry> holders = definitions.getOrDefault(markingId, Map.of());
        for (String collectionId : collectionIds) {
            IndexEntry entry = holders.get(collectionId);
            if (entry != null) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    private void putDefinition(IndexEntry entry)
    {
        definitions.computeIfAbsent(entry.id(), key -> new ConcurrentHashMap<>()).put(entry.collectionId(), entry);
    }

    private void loadDefinitions(String collectionId)
    {
        ObjectQuery query = ObjectQuery.all(LOAD_PAGE).withTypes(List.of("marking-definition"));
        while (true) {
            ObjectPage page = store.findObjects(collectionId, query);
            for (StoredObject stored : page.objects()) {
                entry(collectionId, stored.object(), stored.dateAdded()).ifPresent(this::putDefinition);
            }
            if (!page.more()) {
                return;
            }
            query = query.withNext(page.next().orElseThrow());
        }
    }

    /** About how many objects the index lacks now (0 when it holds every committed change). */
    long behind()
    {
        return indexer.behind();
    }

    /** Objects this process has written to the index since it started (a restart with a current index writes none). */
    long written()
    {
        return indexer.written();
    }

    /** Versions the indexer took as this process wrote them instead of reading them back (tests). */
    long takenAsWritten()
    {
        return indexer.taken();
    }

    /** Waits until the index holds every change committed so far (benchmarks, tests); no deadline. */
    void awaitWarm()
            throws InterruptedException
    {
        while (true) {
            indexer.wake();
            if (indexer.behind() == 0) {
                return;
            }
            indexer.awaitProgress(100);
        }
    }

    // A small lag is waited for, at most FRESH_WAIT_MILLISECONDS; returns the lag then. Unless asked to
    // measure, a read after no write of this process since the index was last seen current does not ask.
    private long awaitFresh(boolean measure)
    {
        if (!measure && (!written.get() || System.nanoTime() < largeLagUntil)) {
            return 0;
        }
        written.set(false);
        long behind = indexer.behind();
        if (behind == 0 || behind > FRESH_WAIT_EVENTS) {
            if (behind > 0) {
                written.set(true);
                // A large backlog (an import, a first build) lasts: the graph's many lookups need not each measure it.
                largeLagUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            }
            return behind;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FRESH_WAIT_MILLISECONDS);
        try {
            while (behind > 0 && System.nanoTime() < deadline) {
                indexer.wake();
                indexer.awaitProgress(Math.min(50, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                behind = indexer.behind();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (behind > 0) {
            written.set(true);
        }
        return behind;
    }

    void close()
    {
        indexer.close();
    }

    /**
     * The current sightings of a collection with their entries (for markings, creator and id), one row each: the
     * reference the tests count with. The Detection screen asks {@link #sightingQueries()} for its counts instead.
     */
    List<Map.Entry<IndexEntry, SightingFacts>> sightings(String collectionId)
    {
        awaitFresh(false);
        return tables.sightings(collectionId);
    }

    /** The Detection screen's counts, made by the database. */
    SightingQueries sightingQueries()
    {
        awaitFresh(false);
        return sightingQueries;
    }

    /** An entry and the text whose words are indexed. */
    record Indexed(IndexEntry entry, String text, Optional<SightingFacts> sighting) {}

    /** What the Detection screen counts of a sighting: kept here so that it never reads every sighting from the store. */
    record SightingFacts(String sightedId, Instant time, long count) {}

    static Optional<IndexEntry> entry(String collectionId, StixObject object, Instant dateAdded)
    {
        return indexed(collectionId, object, dateAdded).map(Indexed::entry);
    }

    static Optional<Indexed> indexed(String collectionId, StixObject object, Instant dateAdded)
    {
        JsonNode tree;
        try {
            tree = object.tree();
        }
        catch (RuntimeException e) {
            // Stored objects were parsed on the way in; one that no longer parses is left out of the index, not fatal.
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        for (String property : TEXT_PROPERTIES) {
            appendText(text, tree.get(property));
        }
        appendExternalIds(text, tree.get("external_references"));
        String searchText = text.length() > MAXIMUM_TEXT ? text.substring(0, MAXIMUM_TEXT) : text.toString();
        List<IndexEntry.Edge> edges = new ArrayList<>();
        if (object.type().equals("relationship")) {
            String source = string(tree, "source_ref");
            String target = string(tree, "target_ref");
            if (source != null && target != null) {
                String label = Optional.ofNullable(string(tree, "relationship_type")).orElse("related-to");
                edges.add(new IndexEntry.Edge(source, target, label, object.id()));
            }
        }
        else {
            addReferenceEdges(tree, object.id(), edges);
        }
        List<String> markingRefs = MarkingAccess.markingRefs(tree);
        Map<String, String> markingProperties = object.type().equals("marking-definition") ? MarkingBadges.definitionProperties(tree) : Map.of();
        return Optional.of(new Indexed(new IndexEntry(
                collectionId,
                object.id(),
                TYPES.computeIfAbsent(object.type(), type -> type),
                displayName(tree, object),
                object.version().orElse(dateAdded),
                dateAdded,
                Optional.ofNullable(string(tree, "created_by_ref")),
                markingRefs,
                edges,
                new TreeMap<>(markingProperties)), searchText, sightingFacts(object, tree, dateAdded)));
    }

    // Time: first_seen, else created, else the date added; count 1 when absent.
    private static Optional<SightingFacts> sightingFacts(StixObject object, JsonNode tree, Instant dateAdded)
    {
        String sighted = string(tree, "sighting_of_ref");
        if (!object.type().equals("sighting") || sighted == null) {
            return Optional.empty();
        }
        Instant time = Optional.ofNullable(string(tree, "first_seen")).flatMap(org.vigie.stix.Timestamps::tryParse)
                .or(object::created)
                .orElse(dateAdded);
        JsonNode count = tree.get("count");
        return Optional.of(new SightingFacts(sighted, time, count != null && count.isIntegralNumber() ? count.longValue() : 1));
    }

    private static void addReferenceEdges(JsonNode tree, String id, List<IndexEntry.Edge> edges)
    {
        for (String property : tree.propertyNames()) {
            if (property.equals("created_by_ref") || property.equals("object_marking_refs")) {
                continue;
            }
            JsonNode value = tree.get(property);
            // The label only for reference properties, without a regular expression: this runs for every property of every object indexed.
            if (property.endsWith("_ref") && value.isString()) {
                edges.add(new IndexEntry.Edge(id, value.stringValue(), label(property, 4), id));
            }
            else if (property.endsWith("_refs") && value.isArray()) {
                String label = label(property, 5);
                for (JsonNode reference : value) {
                    if (reference.isString()) {
                        edges.add(new IndexEntry.Edge(id, reference.stringValue(), label, id));
                    }
                }
            }
        }
    }

    // sighting_of_ref: "sighting-of"
    private static String label(String property, int suffix)
    {
        return property.substring(0, property.length() - suffix).replace('_', '-');
    }

    static String displayName(JsonNode tree, StixObject object)
    {
        for (String property : List.of("name", "value", "display_name", "abstract", "path", "number", "key", "subject")) {
            String value = string(tree, property);
            if (value != null && !value.isBlank()) {
                return value.length() > 200 ? value.substring(0, 200) : value;
            }
        }
        if (object.type().equals("relationship")) {
            return Optional.ofNullable(string(tree, "relationship_type")).orElse("relationship");
        }
        if (object.type().equals("indicator")) {
            String pattern = string(tree, "pattern");
            if (pattern != null) {
                return pattern.length() > 200 ? pattern.substring(0, 200) : pattern;
            }
        }
        return object.id();
    }

    private static void appendText(StringBuilder text, JsonNode value)
    {
        if (value == null || text.length() > MAXIMUM_TEXT) {
            return;
        }
        if (value.isString()) {
            text.append('\n').append(value.stringValue());
        }
        else if (value.isArray()) {
            for (JsonNode element : value) {
                if (element.isString()) {
                    text.append('\n').append(element.stringValue());
                }
            }
        }
    }

    private static void appendExternalIds(StringBuilder text, JsonNode references)
    {
        if (references == null || !references.isArray()) {
            return;
        }
        for (JsonNode reference : references) {
            appendText(text, reference.get("external_id"));
        }
    }

    static String string(JsonNode tree, String property)
    {
        JsonNode value = tree.get(property);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
