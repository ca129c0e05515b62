package org.vigie.exchange.audit;

public enum LedgerProblem
{
    /** The entry's content no longer gives its hash, or no longer gives the hash the next entry committed to. */
    ALTERED,
    /** One or more entries are missing before this position (or at the end, against an anchor). */
    REMOVED,
    /** Entries are out of sequence order. */
    REORDERED
}
