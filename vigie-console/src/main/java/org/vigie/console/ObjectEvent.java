package org.vigie.console;

import org.vigie.stix.StixObject;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One object version that reached a collection of this node: stored locally (TAXII push, authoring),
 * received from a partner, or released to a partner. {@code partner} names the sender of a received
 * object or the recipient of a released one.
 */
public record ObjectEvent(String collectionId, StixObject object, Instant dateAdded, Direction direction, Optional<String> partner)
{
    public enum Direction
    {
        STORED,
        RECEIVED,
        RELEASED
    }

    public ObjectEvent
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(object, "object is null");
        requireNonNull(dateAdded, "dateAdded is null");
        requireNonNull(direction, "direction is null");
        requireNonNull(partner, "partner is null");
    }

    public static ObjectEvent stored(String collectionId, StixObject object, Instant dateAdded)
    {
        return new ObjectEvent(collectionId, object, dateAdded, Direction.STORED, Optional.empty());
    }
}
