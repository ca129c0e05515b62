package org.vigie.exchange.audit;

import static java.util.Objects.requireNonNull;

/**
 * A head of the ledger recorded elsewhere (printed, sent to a partner, written to another system).
 * Without one, rewriting or dropping the newest entries cannot be told apart from never having
 * written them.
 */
public record LedgerAnchor(long sequence, String hash)
{
    public LedgerAnchor
    {
        requireNonNull(hash, "hash is null");
    }
}
