package org.vigie.store.events;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One committed change to a collection: a version of an object was added or deleted. {@code sequence}
 * is the store's position of the change: it increases in commit order, across collections, and events of
 * one object always appear in sequence order. {@code dateAdded} is the date added of the version concerned
 * (for a deleted version, the date it had been added), so clients can name it as TAXII does.
 */
public record Event(long sequence, String collectionId, String objectId, Optional<Instant> version, Kind kind, Instant dateAdded)
{
    public enum Kind
    {
        ADDED,
        DELETED
    }

    public Event
    {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence " + sequence + " is not positive");
        }
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(objectId, "objectId is null");
        requireNonNull(version, "version is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(dateAdded, "dateAdded is null");
    }
}
