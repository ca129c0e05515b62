package org.vigie.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The console's in-memory index of the latest version of every object, per collection: an inverted
 * index ({@link TokenPostings}) of the words of the searchable properties (names, descriptions, aliases,
 * patterns, observable values, external ids, note and opinion text), what a result row shows, the graph
 * edges (relationships, sightings, reference properties) and marking definitions. A collection is read
 * from the store the first time it is used (or at start, see {@link #warm}), then kept current by
 * {@link ObjectEvents} (this process's writes, at once) and the store's event log (other processes'
 * writes, see {@link #followLog}); a deletion drops the collection, to be read again on next use.
 *
 * <p>Search: every word of the query (letters and digits; whole words, case-insensitive) must occur in
 * the object's text, or the query is the object's id; names starting with the query rank first, then
 * names holding it, newest first within a rank. Cost: the postings of the query's words, not the
 * collection's size. Memory: 8 bytes a distinct word of an object plus the result row and its edges
 * (measured in docs/BENCHMARKS.md); a replaced version's postings stay until the collection is re-read.
 */
final class SearchIndex
        implements ObjectEvents.Listener
{
    static final int MAXIMUM_TEXT = 2_000;
    private static final int LOAD_PAGE = 1_000;
    private static final List<String> TEXT_PROPERTIES = List.of("name", "aliases", "x_mitre_aliases", "description", "pattern", "value", "abstract", "content", "explanation", "opinion", "path", "display_name", "number", "key", "body", "subject");

    // One string per object type for millions of entries.
    private static final Map<String, String> TYPES = new ConcurrentHashMap<>();
    private static final int LARGE_DEGREE = 32;

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndex.class);

    private final ObjectStore store;
    private volatile boolean closed;
    private volatile Thread warming;
    private volatile Subscription logSubscription;
    private final Map<String, CollectionIndex> collections = new ConcurrentHashMap<>();
    // Marking-definition id to the collections holding it; read per collection without reading the whole collection.
    private final Map<String, Map<String, IndexEntry>> definitions = new ConcurrentHashMap<>();
    private final Set<String> definitionsLoaded = ConcurrentHashMap.newKeySet();

    SearchIndex(ObjectStore store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    record SearchResult(List<IndexEntry> hits, long total) {}

    private static final class CollectionIndex
    {
        final Map<String, IndexEntry> objects = new ConcurrentHashMap<>();
        final Map<String, SightingFacts> sightings = new ConcurrentHashMap<>();
        // Document number to entry; an entry replaced by a newer version is no longer the one in objects.
        final List<IndexEntry> documents = new ArrayList<>();
        final TokenPostings words = new TokenPostings();
        // Object id to the ids of the entries whose edges touch it.
        // Small degrees as arrays replaced, never changed in place (readers take no lock): a set per object cost
        // ~100 bytes at 1,000,000 objects. From LARGE_DEGREE on, a concurrent set: copying arrays of objects
        // referenced thousands of times made reading a collection quadratic.
        final Map<String, Object> incident = new ConcurrentHashMap<>();
        // Objects stored while the collection is being read: applied once it is, so a writer never waits for a read.
        final Queue<Indexed> pending = new ConcurrentLinkedQueue<>();
        volatile boolean loaded;

        synchronized void drain()
        {
            for (Indexed indexed = pending.poll(); indexed != null; indexed = pending.poll()) {
                put(indexed);
            }
        }

        synchronized void put(Indexed indexed)
        {
            IndexEntry entry = indexed.entry();
            IndexEntry previous = objects.get(entry.id());
            if (previous != null && previous.version().isAfter(entry.version())) {
                return;
            }
            if (previous != null) {
                unlink(previous);
            }
            objects.put(entry.id(), entry);
            indexed.sighting().ifPresentOrElse(facts -> sightings.put(entry.id(), facts), () -> sightings.remove(entry.id()));
            int document = documents.size();
            documents.add(entry);
            Set<Long> seen = new HashSet<>();
            TokenPostings.words(indexed.text(), word -> {
                if (seen.add(word)) {
                    words.add(word, document);
                }
            });
            for (IndexEntry.Edge edge : entry.edges()) {
                link(edge.source(), entry.id());
                link(edge.target(), entry.id());
            }
        }

        private void link(String end, String id)
        {
            incident.merge(end, new String[] {id}, (present, added) -> {
                if (present instanceof Set<?>) {
                    @SuppressWarnings("unchecked")
                    Set<String> set = (Set<String>) present;
                    set.add(id);
                    return set;
                }
                String[] array = (String[]) present;
                for (String value : array) {
                    if (value.equals(id)) {
                        return array;
                    }
                }
                if (array.length + 1 >= LARGE_DEGREE) {
                    Set<String> set = ConcurrentHashMap.newKeySet();
                    set.addAll(List.of(array));
                    set.add(id);
                    return set;
                }
                String[] grown = java.util.Arrays.copyOf(array, array.length + 1);
                grown[array.length] = id;
                return grown;
            });
        }

        private void unlink(IndexEntry entry)
        {
            for (IndexEntry.Edge edge : entry.edges()) {
                for (String end : List.of(edge.source(), edge.target())) {
                    incident.computeIfPresent(end, (key, present) -> {
                        if (present instanceof Set<?> set) {
                            set.remove(entry.id());
                            return set.isEmpty() ? null : set;
                        }
                        String[] kept = java.util.Arrays.stream((String[]) present).filter(value -> !value.equals(entry.id())).toArray(String[]::new);
                        return kept.length == 0 ? null : kept;
                    });
                }
            }
        }

        List<String> incidentIds(String objectId)
        {
            Object present = incident.get(objectId);
            if (present == null) {
                return List.of();
            }
            if (present instanceof String[] array) {
                return List.of(array);
            }
            return List.copyOf((Set<?>) present).stream().map(String.class::cast).toList();
        }
    }

    @Override
    public void added(ObjectEvent event)
    {
        switch (event.direction()) {
            case STORED, RECEIVED -> {
                Optional<IndexEntry> entry = entry(event.collectionId(), event.object(), event.dateAdded());
                entry.filter(value -> value.type().equals("marking-definition")).ifPresent(this::putDefinition);
                CollectionIndex index = collections.get(event.collectionId());
                // A collection not read yet gets this object when it is read.
                if (index != null) {
                    indexed(event.collectionId(), event.object(), event.dateAdded()).ifPresent(index.pending::add);
                    if (index.loaded) {
                        index.drain();
                    }
                }
            }
            case RELEASED -> { }
        }
    }

    @Override
    public void deleted(String collectionId, String objectId)
    {
        collections.remove(collectionId);
        Map<String, IndexEntry> holders = definitions.get(objectId);
        if (holders != null) {
            holders.remove(collectionId);
        }
    }

    /** Searches the given collections: every word of {@code query} must occur (whole words, case-insensitive), or the query is an id. */
    SearchResult search(Collection<String> collectionIds, String query, Predicate<IndexEntry> filter, int limit)
    {
        String stripped = query.strip();
        String normalized = stripped.toLowerCase(Locale.ROOT);
        Set<Long> distinct = new java.util.LinkedHashSet<>();
        TokenPostings.words(stripped, distinct::add);
        List<List<IndexEntry>> ranked = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long total = 0;
        for (String collectionId : collectionIds) {
            CollectionIndex index = collection(collectionId);
            synchronized (index) {
                IndexEntry byId = index.objects.get(stripped);
                if (byId != null && filter.test(byId)) {
                    total++;
                    add(ranked.get(0), byId, limit);
                }
                if (distinct.isEmpty()) {
                    continue;
                }
                for (int document : candidates(index, distinct)) {
                    IndexEntry entry = index.documents.get(document);
                    if (entry == byId || index.objects.get(entry.id()) != entry || !filter.test(entry)) {
                        continue;
                    }
                    total++;
                    // Once the first buckets are full, later entries cannot enter the page: they are only counted.
                    if (ranked.get(0).size() < limit) {
                        add(ranked.get(rank(entry.name(), normalized)), entry, limit);
                    }
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
        return new SearchResult(hits, total);
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

    // The documents holding every word: postings intersected, shortest list first, all in decreasing order.
    private static int[] candidates(CollectionIndex index, Set<Long> words)
    {
        List<int[]> lists = new ArrayList<>();
        for (long word : words) {
            int[] documents = index.words.documents(word);
            if (documents.length == 0) {
                return documents;
            }
            lists.add(documents);
        }
        lists.sort((first, second) -> Integer.compare(first.length, second.length));
        int[] result = lists.get(0);
        for (int list = 1; list < lists.size(); list++) {
            int[] other = lists.get(list);
            int[] kept = new int[result.length];
            int size = 0;
            int position = 0;
            for (int document : result) {
                while (position < other.length && other[position] > document) {
                    position++;
                }
                if (position < other.length && other[position] == document) {
                    kept[size++] = document;
                }
            }
            result = java.util.Arrays.copyOf(kept, size);
        }
        return result;
    }

    Optional<IndexEntry> find(String collectionId, String objectId)
    {
        return Optional.ofNullable(collection(collectionId).objects.get(objectId));
    }

    /** The object in the first of the collections holding it. */
    Optional<IndexEntry> findAny(String objectId, Collection<String> collectionIds)
    {
        for (String collectionId : collectionIds) {
            Optional<IndexEntry> entry = find(collectionId, objectId);
            if (entry.isPresent()) {
                return entry;
            }
        }
        return Optional.empty();
    }

    /** The entries of a collection whose edges touch the object. */
    List<IndexEntry> incident(String collectionId, String objectId)
    {
        CollectionIndex index = collection(collectionId);
        List<String> ids = index.incidentIds(objectId);
        List<IndexEntry> entries = new ArrayList<>();
        for (String id : ids) {
            IndexEntry entry = index.objects.get(id);
            if (entry != null) {
                entries.add(entry);
            }
        }
        entries.sort((first, second) -> first.id().compareTo(second.id()));
        return entries;
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

    /**
     * Reads every collection into the index on a background thread, so that the first search does not
     * pay for it; stops between pages once {@link #close} is called.
     */
    void warm()
    {
        Thread thread = new Thread(() -> {
            try {
                for (CollectionInfo collection : store.listCollections()) {
                    if (closed) {
                        return;
                    }
                    collection(collection.id());
                }
            }
            catch (RuntimeException e) {
                // A collection that cannot be read now is read again when first searched.
                LOG.warn("console search index: warming failed, collections are read on first use", e);
            }
        }, "vigie-console-index-warm");
        thread.setDaemon(true);
        warming = thread;
        thread.start();
    }

    /** Waits until {@link #warm} has read every collection (at once when it was not started). */
    void awaitWarm()
            throws InterruptedException
    {
        Thread thread = warming;
        if (thread != null) {
            thread.join();
        }
    }

    /**
     * Follows the store's event log from now on, so that objects written by other processes (another
     * replica on the same database, an import) reach the index too; writes through this process arrive
     * first through {@link ObjectEvents} and are not read again. A store without a log is not followed.
     */
    void followLog()
    {
        EventLog log;
        try {
            log = store.events();
        }
        catch (UnsupportedOperationException e) {
            return;
        }
        logSubscription = log.subscribe(log.end(), this::apply);
    }

    private void apply(EventBatch batch)
    {
        for (Event event : batch.events()) {
            CollectionIndex index = collections.get(event.collectionId());
            if (index == null || closed) {
                continue;
            }
            switch (event.kind()) {
                case ADDED -> {
                    IndexEntry current = index.objects.get(event.objectId());
                    if (current != null && event.version().isPresent() && !current.version().isBefore(event.version().get())) {
                        continue;
                    }
                    VersionFilter versions = event.version().map(version -> new VersionFilter(false, false, false, List.of(version))).orElse(VersionFilter.LAST);
                    for (StoredObject stored : store.findObjects(event.collectionId(), ObjectQuery.all(1).withIds(List.of(event.objectId())).withVersions(versions)).objects()) {
                        added(new ObjectEvent(event.collectionId(), stored.object(), stored.dateAdded(), ObjectEvent.Direction.STORED, Optional.empty()));
                    }
                }
                case DELETED -> {
                    if (index.objects.containsKey(event.objectId())) {
                        deleted(event.collectionId(), event.objectId());
                    }
                }
            }
        }
    }

    void close()
    {
        closed = true;
        Subscription subscription = logSubscription;
        if (subscription != null) {
            subscription.close();
        }
    }

    long size(String collectionId)
    {
        return collection(collectionId).objects.size();
    }

    private CollectionIndex collection(String collectionId)
    {
        CollectionIndex index = collections.computeIfAbsent(collectionId, key -> new CollectionIndex());
        if (!index.loaded) {
            synchronized (index) {
                if (!index.loaded) {
                    load(collectionId, index);
                    index.loaded = true;
                    index.drain();
                }
            }
        }
        return index;
    }

    private void load(String collectionId, CollectionIndex index)
    {
        ObjectQuery query = ObjectQuery.all(LOAD_PAGE);
        while (!closed) {
            ObjectPage page = store.findObjects(collectionId, query);
            for (StoredObject stored : page.objects()) {
                indexed(collectionId, stored.object(), stored.dateAdded()).ifPresent(index::put);
            }
            if (!page.more()) {
                return;
            }
            query = query.withNext(page.next().orElseThrow());
        }
    }

    /** An entry and the text whose words are indexed. */
    record Indexed(IndexEntry entry, String text, Optional<SightingFacts> sighting) {}

    /** What the Detection screen counts of a sighting: kept here so that it never reads every sighting from the store. */
    record SightingFacts(String sightedId, Instant time, long count) {}

    /** The current sightings of a collection with their entries (for markings, creator and id). */
    List<Map.Entry<IndexEntry, SightingFacts>> sightings(String collectionId)
    {
        CollectionIndex index = collection(collectionId);
        List<Map.Entry<IndexEntry, SightingFacts>> result = new ArrayList<>();
        index.sightings.forEach((id, facts) -> {
            IndexEntry entry = index.objects.get(id);
            if (entry != null) {
                result.add(Map.entry(entry, facts));
            }
        });
        return result;
    }

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
            String label = property.replaceAll("_refs?$", "").replace('_', '-');
            if (property.endsWith("_ref") && value.isString()) {
                edges.add(new IndexEntry.Edge(id, value.stringValue(), label, id));
            }
            else if (property.endsWith("_refs") && value.isArray()) {
                for (JsonNode reference : value) {
                    if (reference.isString()) {
                        edges.add(new IndexEntry.Edge(id, reference.stringValue(), label, id));
                    }
                }
            }
        }
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
