package org.vigie.exchange.policy;

import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The circumstances of one decision: the collection the object is released from (if any), the
 * trust groups the recipient belongs to, and the current time.
 */
public record ReleaseContext(Optional<String> collectionId, Set<String> recipientGroupIds, Instant now)
{
    public ReleaseContext
    {
        requireNonNull(collectionId, "collectionId is null");
        recipientGroupIds = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(recipientGroupIds, "recipientGroupIds is null")));
        requireNonNull(now, "now is null");
    }
}
