package org.vigie.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the console keeps in memory of the latest version of one object in one collection: enough to
 * search it, draw it in the graph and show its markings without reading the store.
 */
record IndexEntry(
        String collectionId,
        String id,
        String type,
        String name,
        Instant version,
        Instant dateAdded,
        Optional<String> createdByRef,
        List<String> markingRefs,
        List<Edge> edges,
        Map<String, String> markingProperties)
{
    /** A link drawn in the graph: a relationship object, or a reference property of an object. */
    record Edge(String source, String target, String label, String via)
    {
        Edge
        {
            requireNonNull(source, "source is null");
            requireNonNull(target, "target is null");
            requireNonNull(label, "label is null");
            requireNonNull(via, "via is null");
        }
    }

    IndexEntry
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(dateAdded, "dateAdded is null");
        requireNonNull(createdByRef, "createdByRef is null");
        markingRefs = List.copyOf(requireNonNull(markingRefs, "markingRefs is null"));
        edges = List.copyOf(requireNonNull(edges, "edges is null"));
        // Sorted, for a deterministic order in JSON.
        markingProperties = Map.copyOf(requireNonNull(markingProperties, "markingProperties is null"));
    }
}
