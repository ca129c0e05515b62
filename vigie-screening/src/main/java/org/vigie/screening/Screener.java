package org.vigie.screening;

import java.util.List;

/**
 * Screens names against loaded sanctions lists. Implementations are immutable and thread-safe: build
 * a new one when the lists change.
 */
public interface Screener
{
    /** The threshold at which the measured quality figures in docs/SCREENING.md were taken. */
    double RECOMMENDED_THRESHOLD = 0.82;

    /** Designations matching the query at or above its threshold, best first (ties by list then reference). */
    List<ScreeningResult> screen(ScreeningQuery query);

    /** The lists this screener was built from. */
    List<SanctionsList> lists();

    /** The name similarity of two names alone, in [0, 1], with its explanation (used by pair comparison). */
    Explanation compareNames(String first, String second);

    static Screener create(List<SanctionsList> lists)
    {
        return new IndexedScreener(lists, SpellingClusters.shipped());
    }
}
