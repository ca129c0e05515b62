package org.vigie.exchange.audit;

import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The result of verifying the ledger.
 *
 * @param entriesChecked entries read before stopping
 * @param firstBadSequence the sequence of the first entry found bad (for REMOVED: the first missing one)
 * @param head the last entry's anchor when the ledger verified
 */
public record LedgerVerification(long entriesChecked, Optional<LedgerProblem> problem, OptionalLong firstBadSequence, String explanation, Optional<LedgerAnchor> head)
{
    public LedgerVerification
    {
        requireNonNull(problem, "problem is null");
        requireNonNull(firstBadSequence, "firstBadSequence is null");
        requireNonNull(explanation, "explanation is null");
        requireNonNull(head, "head is null");
    }

    public boolean valid()
    {
        return problem.isEmpty();
    }
}
