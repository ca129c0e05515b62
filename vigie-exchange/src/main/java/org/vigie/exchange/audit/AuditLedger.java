package org.vigie.exchange.audit;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The hash-chained, append-only record of every release, receipt, rejection, policy change,
 * partner change and partner read. Each entry's hash covers its content and the previous entry's
 * hash, so {@link #verify()} finds any altered, removed or reordered entry (and, given an anchor,
 * any change to the newest entries).
 */
public interface AuditLedger
{
    /**
     * The PostgreSQL channel the transaction that appends to a JDBC ledger notifies: delivered at its commit (never
     * for a rollback), to every process listening on the database, so that other replicas learn of the append at once.
     */
    String APPEND_CHANNEL = "vigie_exchange_ledger";

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

    /**
     * Calls {@code listener} after entries appended through this ledger become readable (for a ledger made
     * with {@code afterCommit}, once their transaction commits); once per transaction however many entries it
     * appended. Entries appended by other processes are announced only through {@link #announceAppendedElsewhere}.
     * Listeners must return quickly.
     */
    void addAppendListener(Runnable listener);

    void removeAppendListener(Runnable listener);

    /**
     * Calls the append listeners now: another process appended (a notification on {@value #APPEND_CHANNEL} says so),
     * or may have while nobody listened.
     */
    void announceAppendedElsewhere();

    /** A ledger whose appends are readable as soon as they return (in-memory storage, or JDBC outside transactions). */
    static AuditLedger create(LedgerStorage storage, InstantSource clock)
    {
        return new ChainedAuditLedger(storage, clock, Runnable::run);
    }

    /**
     * A ledger whose storage joins transactions: {@code afterCommit} runs the append listeners once the
     * appending transaction commits ({@code ExchangeDatabase::afterCommit} for storage on its data source).
     */
    static AuditLedger create(LedgerStorage storage, InstantSource clock, Executor afterCommit)
    {
        return new ChainedAuditLedger(storage, clock, afterCommit);
    }
}
