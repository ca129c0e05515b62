package org.vigie.screening;

import static java.util.Objects.requireNonNull;

/** One designation that matched a query at or above its threshold, with a score in [0, 1] and why. */
public record ScreeningResult(String list, String id, String primaryName, EntityType type, double score, Explanation explanation)
{
    public ScreeningResult
    {
        requireNonNull(list, "list is null");
        requireNonNull(id, "id is null");
        requireNonNull(primaryName, "primaryName is null");
        requireNonNull(type, "type is null");
        requireNonNull(explanation, "explanation is null");
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score " + score + " is outside [0, 1]");
        }
    }

    public String key()
    {
        return list + ":" + id;
    }
}
