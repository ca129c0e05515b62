package org.vigie.screening;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A record screened earlier: the caller's identifier, the query used, the keys (UN:QDi.001) it hit
 * then, best first, and the best match then (kept for the audit trail; empty when nothing matched).
 */
public record ScreenedRecord(String recordId, ScreeningQuery query, List<String> hitKeys, Optional<BestMatch> bestMatch)
{
    public ScreenedRecord
    {
        requireNonNull(recordId, "recordId is null");
        requireNonNull(query, "query is null");
        hitKeys = List.copyOf(requireNonNull(hitKeys, "hitKeys is null"));
        requireNonNull(bestMatch, "bestMatch is null");
    }

    public ScreenedRecord(String recordId, ScreeningQuery query, List<String> hitKeys)
    {
        this(recordId, query, hitKeys, Optional.empty());
    }

    /** The record of a query screened now with these results (best first). */
    public static ScreenedRecord of(String recordId, ScreeningQuery query, List<ScreeningResult> results)
    {
        Optional<BestMatch> best = results.isEmpty()
                ? Optional.empty()
                : Optional.of(new BestMatch(results.get(0).key(), results.get(0).primaryName(), results.get(0).score()));
        return new ScreenedRecord(recordId, query, results.stream().map(ScreeningResult::key).toList(), best);
    }

    /** The best designation a record matched when it was screened. */
    public record BestMatch(String key, String name, double score)
    {
        public BestMatch
        {
            requireNonNull(key, "key is null");
            requireNonNull(name, "name is null");
        }
    }
}
