package org.vigie.exchange.audit;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * The hash-chained, append-only record of every release, receipt, rejection, policy change,
 * partner change and partner read. Each entry's hash covers its content and the previous entry's
 * hash, so {@link #verify()} finds any altered, removed or reordered entry (and, given an anchor,
 * any change to the newest entries).
 */
public interface AuditLedger
{
    /** Appends one entry, stamped with the ledger clock; appends are serialised. */
    AuditEntry append(AuditRecord record);

    /** Up to {@code limit} entries from this sequence on, in order. */
    List<AuditEntry> read(long fromSequence, int limit);

    /** Entries matching the query, in order ("what did we release to whom, when, under which handling"). */
    List<AuditEntry> query(AuditQuery query);

    /** The newest entry's sequence and hash, to record elsewhere as an anchor. */
    Optional<LedgerAnchor> head();

    /** Walks the whole chain and reports the first bad entry, if any. */
    LedgerVerification verify();

    /** As {@link #verify()}, also requiring the chain to contain this anchor unchanged. */
    LedgerVerification verify(LedgerAnchor anchor);

    static AuditLedger create(LedgerStorage storage, InstantSource clock)
    {
        return new ChainedAuditLedger(storage, clock);
    }
}
