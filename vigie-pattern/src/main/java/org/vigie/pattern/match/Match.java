package org.vigie.pattern.match;

import org.vigie.pattern.PatternMatch;

import static java.util.Objects.requireNonNull;

/** An indicator matched: which one (id and version) and which observed-data produced the match. */
public record Match(String indicatorId, java.time.Instant indicatorVersion, PatternMatch match)
{
    public Match
    {
        requireNonNull(indicatorId, "indicatorId is null");
        requireNonNull(indicatorVersion, "indicatorVersion is null");
        requireNonNull(match, "match is null");
    }
}
