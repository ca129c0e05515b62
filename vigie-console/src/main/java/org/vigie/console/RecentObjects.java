package org.vigie.console;

import org.vigie.store.StoredObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The versions this process has just stored, as the write path published them, so that the search indexer
 * finds an object it is told of by the event log without reading it back from the store (which cost it about
 * 10 µs of the 40-60 µs it spent per object while requests were writing). Bounded by the characters of JSON it
 * holds: the oldest go first. Only a hint: the indexer takes a version from here when it is exactly the one the
 * log names (id, version and date added) and reads the store otherwise, as it does for what other processes wrote.
 */
final class RecentObjects
{
    private final long maximumCharacters;
    // Insertion order, per (collection, object id): the last version written of each.
    private final LinkedHashMap<Key, StoredObject> objects = new LinkedHashMap<>();
    private long characters;

    RecentObjects(long maximumCharacters)
    {
        if (maximumCharacters < 0) {
            throw new IllegalArgumentException("maximumCharacters is negative: " + maximumCharacters);
        }
        this.maximumCharacters = maximumCharacters;
    }

    private record Key(String collectionId, String objectId) {}

    synchronized void put(String collectionId, StoredObject stored)
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(stored, "stored is null");
        long size = stored.object().json().length();
        if (size > maximumCharacters) {
            return;
        }
        StoredObject previous = objects.remove(new Key(collectionId, stored.object().id()));
        if (previous != null) {
            characters -= previous.object().json().length();
        }
        objects.put(new Key(collectionId, stored.object().id()), stored);
        characters += size;
        var eldest = objects.entrySet().iterator();
        while (characters > maximumCharacters && eldest.hasNext()) {
            characters -= eldest.next().getValue().object().json().length();
            eldest.remove();
        }
    }

    /** The version held for the object, taken out (the indexer needs each once). */
    synchronized Optional<StoredObject> take(String collectionId, String objectId)
    {
        StoredObject stored = objects.remove(new Key(collectionId, objectId));
        if (stored == null) {
            return Optional.empty();
        }
        characters -= stored.object().json().length();
        return Optional.of(stored);
    }

    synchronized void forget(String collectionId, String objectId)
    {
        take(collectionId, objectId);
    }

    synchronized int size()
    {
        return objects.size();
    }

    synchronized long characters()
    {
        return characters;
    }

    /** A copy, oldest first, for tests. */
    synchronized Map<String, StoredObject> snapshot()
    {
        Map<String, StoredObject> copy = new LinkedHashMap<>();
        objects.forEach((key, stored) -> copy.put(key.collectionId() + " " + key.objectId(), stored));
        return copy;
    }
}
