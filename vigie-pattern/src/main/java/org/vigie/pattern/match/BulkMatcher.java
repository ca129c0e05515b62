package org.vigie.pattern.match;

import org.vigie.pattern.Observation;
import tools.jackson.databind.JsonNode;

import java.time.InstantSource;
import java.util.List;

/**
 * Many indicators compiled into one index, so that each observation is tested only against the
 * indicators that could match it. Thread-safe: {@link #match} may run on many threads while
 * indicators are added, replaced, removed or expire.
 */
public interface BulkMatcher
{
    static BulkMatcher create(InstantSource clock, MatcherOptions options)
    {
        return new IndexedBulkMatcher(clock, options);
    }

    /** What {@link #upsert} did. */
    enum UpsertResult
    {
        ADDED,
        REPLACED,
        /** The matcher already has this version or a newer one (or a revocation of it). */
        IGNORED_NOT_NEWER,
        /** The indicator is revoked: any earlier version was removed. */
        REVOKED
    }

    /** Adds an indicator object, or replaces an older version of it; invalid patterns fail with VigieException. */
    default UpsertResult upsert(JsonNode indicator)
    {
        return upsert(Indicator.fromJson(indicator));
    }

    UpsertResult upsert(Indicator indicator);

    /** Removes an indicator (and its state) and forgets its version; false when it was not there. */
    boolean remove(String indicatorId);

    /** Drops indicators whose valid_until has passed by the clock; returns how many. Expired ones never match even before this runs. */
    int removeExpired();

    /** The matches this observation completes, ordered by indicator id then by match. */
    List<Match> match(Observation observation);

    /** Number of indicators held. */
    int size();
}
