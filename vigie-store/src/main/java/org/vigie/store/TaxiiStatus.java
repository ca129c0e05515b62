package org.vigie.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A TAXII status resource: the outcome of one POST of objects, kept so clients can poll it. */
public record TaxiiStatus(
        String id,
        String collectionId,
        Status status,
        Instant requestTimestamp,
        List<Detail> successes,
        List<Detail> failures,
        List<Detail> pendings)
{
    public enum Status
    {
        PENDING,
        COMPLETE
    }

    /** One object's outcome; {@code message} explains a failure or a duplicate. */
    public record Detail(String id, Optional<String> version, Optional<String> message)
    {
        public Detail
        {
            requireNonNull(id, "id is null");
            requireNonNull(version, "version is null");
            requireNonNull(message, "message is null");
        }
    }

    public TaxiiStatus
    {
        requireNonNull(id, "id is null");
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(status, "status is null");
        requireNonNull(requestTimestamp, "requestTimestamp is null");
        successes = List.copyOf(requireNonNull(successes, "successes is null"));
        failures = List.copyOf(requireNonNull(failures, "failures is null"));
        pendings = List.copyOf(requireNonNull(pendings, "pendings is null"));
    }

    public int totalCount()
    {
        return successes.size() + failures.size() + pendings.size();
    }
}
