package org.vigie.screening;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Why a designation scored what it did: the query name and the listed name that matched best, the
 * token pairs with their scores and rules, the tokens left unpaired on each side, the name score
 * before qualifiers, and each qualifier applied.
 */
public record Explanation(
        String queryName,
        String matchedName,
        NameKind matchedNameKind,
        List<TokenPair> pairs,
        List<String> unmatchedQueryTokens,
        List<String> unmatchedListTokens,
        double nameScore,
        List<Qualifier> qualifiers)
{
    public Explanation
    {
        requireNonNull(queryName, "queryName is null");
        requireNonNull(matchedName, "matchedName is null");
        requireNonNull(matchedNameKind, "matchedNameKind is null");
        pairs = List.copyOf(requireNonNull(pairs, "pairs is null"));
        unmatchedQueryTokens = List.copyOf(requireNonNull(unmatchedQueryTokens, "unmatchedQueryTokens is null"));
        unmatchedListTokens = List.copyOf(requireNonNull(unmatchedListTokens, "unmatchedListTokens is null"));
        qualifiers = List.copyOf(requireNonNull(qualifiers, "qualifiers is null"));
    }
}
