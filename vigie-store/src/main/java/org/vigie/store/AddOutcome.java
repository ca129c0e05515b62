package org.vigie.store;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What happened to one object given to {@link ObjectStore#addObjects}. {@code dateAdded} is the date the
 * version was first stored (for a duplicate, the earlier date).
 */
public record AddOutcome(String id, Optional<Instant> version, Result result, Instant dateAdded)
{
    public enum Result
    {
        STORED,
        DUPLICATE
    }

    public AddOutcome
    {
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
        requireNonNull(result, "result is null");
        requireNonNull(dateAdded, "dateAdded is null");
    }
}
