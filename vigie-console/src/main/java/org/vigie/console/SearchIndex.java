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
 * The console's in-memory index of the latest version of every object, per collection: the text of
 * the searchable properties (names, descriptions, aliases, patterns, observable values, note and
 * opinion text), the graph edges (relationships, sightings, reference properties) and marking
 * definitions. A collection is read from the store the first time a user searches it, then kept
 * current by {@link ObjectEvents}; a deletion drops the collection, to be read again on next use.
 *
 * <p>Limits: memory grows with the number of objects (about 300 bytes plus the indexed text, capped
 * at {@link #MAXIMUM_TEXT} characters per object); search is a linear scan of the user's readable
 * collections, with no ranking beyond name matches first.
 */
final class SearchIndex
        implements ObjectEvents.Listener
{
    static final int MAXIMUM_TEXT = 2_000;
    private static final int LOAD_PAGE = 1_000;
    private static final List<String> TEXT_PROPERTIES = List.of("name", "aliases", "x_mitre_aliases", "description", "pattern", "value", "abstract", "content", "explanation", "opinion", "path", "display_name", "number", "key", "body", "subject");

    private final ObjectStore store;
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
        // Object id to the ids of the entries whose edges touch it.
        final Map<String, Set<String>> incident = new ConcurrentHashMap<>();
        volatile boolean loaded;

        synchronized void put(IndexEntry entry)
        {
            IndexEntry previous = objects.get(entry.id());
            if (previous != null && previous.version().isAfter(entry.version())) {
                return;
            }
            if (previous != null) {
                unlink(previous);
            }
            objects.put(entry.id(), entry);
            for (IndexEntry.Edge edge : entry.edges()) {
                incident.computeIfAbsent(edge.source(), key -> ConcurrentHashMap.newKeySet()).add(entry.id());
                incident.computeIfAbsent(edge.target(), key -> ConcurrentHashMap.newKeySet()).add(entry.id());
            }
        }

        private void unlink(IndexEntry entry)
        {
            for (IndexEntry.Edge edge : entry.edges()) {
                for (String end : List.of(edge.source(), edge.target())) {
                    Set<String> ids = incident.get(end);
                    if (ids != null) {
                        ids.remove(entry.id());
                    }
                }
            }
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
                    entry.ifPresent(index::put);
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

    /** Searches the given collections; {@code query} words must all occur (case-insensitive). */
    SearchResult search(Collection<String> collectionIds, String query, Predicate<IndexEntry> filter, int limit)
    {
        String normalized = query.strip().toLowerCase(Locale.ROOT);
        String[] words = normalized.split("\\s+");
        List<List<IndexEntry>> ranked = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long total = 0;
        for (String collectionId : collectionIds) {
            for (IndexEntry entry : collection(collectionId).objects.values()) {
                int rank = rank(entry, normalized, words);
                if (rank < 0 || !filter.test(entry)) {
                    continue;
                }
                total++;
                List<IndexEntry> bucket = ranked.get(rank);
                if (bucket.size() < limit) {
                    bucket.add(entry);
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

    // 0: the name starts with the query (or the id is the query), 1: the name holds it, 2: other text does; -1: no match.
    private static int rank(IndexEntry entry, String query, String[] words)
    {
        if (entry.id().equals(query)) {
            return 0;
        }
        String text = entry.searchText();
        for (String word : words) {
            if (!text.contains(word)) {
                return -1;
            }
        }
        String name = entry.name().toLowerCase(Locale.ROOT);
        if (name.startsWith(query)) {
            return 0;
        }
        return name.contains(query) ? 1 : 2;
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
        Set<String> ids = index.incident.getOrDefault(objectId, Set.of());
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
                }
            }
        }
        return index;
    }

    private void load(String collectionId, CollectionIndex index)
    {
        ObjectQuery query = ObjectQuery.all(LOAD_PAGE);
        while (true) {
            ObjectPage page = store.findObjects(collectionId, query);
            for (StoredObject stored : page.objects()) {
                entry(collectionId, stored.object(), stored.dateAdded()).ifPresent(index::put);
            }
            if (!page.more()) {
                return;
            }
            query = query.withNext(page.next().orElseThrow());
        }
    }

    static Optional<IndexEntry> entry(String collectionId, StixObject object, Instant dateAdded)
    {
        JsonNode tree;
        try {
            tree = object.tree();
        }
        catch (RuntimeException e) {
            // Stored objects were parsed on the way in; one that no longer parses is left out of the index, not fatal.
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(object.id().toLowerCase(Locale.ROOT));
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
        return Optional.of(new IndexEntry(
                collectionId,
                object.id(),
                object.type(),
                displayName(tree, object),
                searchText.toLowerCase(Locale.ROOT),
                object.version().orElse(dateAdded),
                dateAdded,
                Optional.ofNullable(string(tree, "created_by_ref")),
                markingRefs,
                edges,
                new TreeMap<>(markingProperties)));
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
