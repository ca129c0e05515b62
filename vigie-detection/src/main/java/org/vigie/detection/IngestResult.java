package org.vigie.detection;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one ingest request did: observations matched, matches found, the ids of the sightings stored (in
 * match order, without repeats) and how many objects were written to the sightings collection (sightings,
 * observed-data and cyber-observables, duplicates of earlier requests included).
 */
public record IngestResult(int observations, int matches, List<String> sightings, int storedObjects)
{
    public IngestResult
    {
        sightings = List.copyOf(requireNonNull(sightings, "sightings is null"));
    }
}
