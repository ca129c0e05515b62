package org.vigie.detection;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Counters since start: per indicator collection, the indicators held, the date added up to which the
 * store has been read and the invalid indicator versions skipped; overall, observations matched, matches,
 * sightings stored, observations published to the Kafka matching workers ({@code detection.ingest=kafka}) and when
 * the last refresh finished.
 */
public record DetectionStatus(List<CollectionStatus> collections, long observations, long matches, long sightings, long published, Optional<Instant> lastRefresh)
{
    public DetectionStatus
    {
        collections = List.copyOf(requireNonNull(collections, "collections is null"));
        requireNonNull(lastRefresh, "lastRefresh is null");
    }

    public int indicators()
    {
        return collections.stream().mapToInt(CollectionStatus::indicators).sum();
    }

    public record CollectionStatus(String collectionId, int indicators, Optional<Instant> readUpTo, long invalidIndicators)
    {
        public CollectionStatus
        {
            requireNonNull(collectionId, "collectionId is null");
            requireNonNull(readUpTo, "readUpTo is null");
        }
    }
}
