package org.vigie.detection;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The observed-data and cyber-observables of recent ingest requests, so that a sighting completed by a
 * later request (FOLLOWEDBY, WITHIN, REPEATS) can still store the earlier observations it refers to.
 * Bounded: the least recently used object is forgotten first.
 */
final class RecentObjects
{
    private final Map<String, JsonNode> objects;

    RecentObjects(int capacity)
    {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        objects = new LinkedHashMap<>(1024, 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest)
            {
                return size() > capacity;
            }
        };
    }

    synchronized void remember(List<JsonNode> batch)
    {
        for (JsonNode object : batch) {
            objects.put(object.get("id").stringValue(), object);
        }
    }

    synchronized Optional<JsonNode> find(String id)
    {
        return Optional.ofNullable(objects.get(id));
    }
}
