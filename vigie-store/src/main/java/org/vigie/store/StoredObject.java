package org.vigie.store;

import org.vigie.stix.StixObject;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** One stored version of an object with the date the collection received it (microsecond precision). */
public record StoredObject(StixObject object, Instant dateAdded)
{
    public StoredObject
    {
        requireNonNull(object, "object is null");
        requireNonNull(dateAdded, "dateAdded is null");
    }
}
