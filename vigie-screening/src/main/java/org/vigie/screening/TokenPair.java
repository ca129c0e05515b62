package org.vigie.screening;

import static java.util.Objects.requireNonNull;

/** One query token paired with one listed token, the similarity of the pair and the rule that gave it. */
public record TokenPair(String queryToken, String listToken, double score, MatchRule rule, double weight)
{
    public TokenPair
    {
        requireNonNull(queryToken, "queryToken is null");
        requireNonNull(listToken, "listToken is null");
        requireNonNull(rule, "rule is null");
    }
}
