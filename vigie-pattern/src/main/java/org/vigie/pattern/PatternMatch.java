package org.vigie.pattern;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One way a pattern matched: the observed-data objects bound to it (ids in input order), and the
 * time span they cover. {@code count} sums their number_observed.
 */
public record PatternMatch(List<String> observedDataIds, Instant firstObserved, Instant lastObserved, long count)
{
    public PatternMatch
    {
        observedDataIds = List.copyOf(requireNonNull(observedDataIds, "observedDataIds is null"));
        requireNonNull(firstObserved, "firstObserved is null");
        requireNonNull(lastObserved, "lastObserved is null");
    }
}
