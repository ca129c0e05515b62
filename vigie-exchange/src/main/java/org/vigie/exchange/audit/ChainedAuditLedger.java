package org.vigie.exchange.audit;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

final class ChainedAuditLedger
        implements AuditLedger
{
    private static final int PAGE = 1_000;

    private final LedgerStorage storage;
    private final InstantSource clock;
    private final Executor afterCommit;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    // One instance, so that a transaction appending many entries announces them once (afterCommit keeps a set).
    private final Runnable announce = () -> listeners.forEach(Runnable::run);

    ChainedAuditLedger(LedgerStorage storage, InstantSource clock, Executor afterCommit)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.afterCommit = requireNonNull(afterCommit, "afterCommit is null");
    }

    @Override
    public synchronized AuditEntry append(AuditRecord record)
    {
        requireNonNull(record, "record is null");
        Optional<AuditEntry> last = storage.last();
        long sequence = last.map(entry -> entry.sequence() + 1).orElse(1L);
        String previousHash = last.map(AuditEntry::hash).orElse(AuditEntry.GENESIS_HASH);
        AuditEntry entry = AuditEntry.create(sequence, clock.instant(), record, previousHash);
        storage.append(entry);
        if (!listeners.isEmpty()) {
            afterCommit.execute(announce);
        }
        return entry;
    }

    @Override
    public void addAppendListener(Runnable listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    @Override
    public void removeAppendListener(Runnable listener)
    {
        listeners.remove(listener);
    }

    @Override
    public void announceAppendedElsewhere()
    {
        announce.run();
    }

    @Override
    public List<AuditEntry> read(long fromSequence, int limit)
    {
        return storage.read(fromSequence, limit);
    }

    @Override
    public List<AuditEntry> query(AuditQuery query)
    {
        List<AuditEntry> result = new ArrayList<>();
        long position = 1;
        while (true) {
            List<AuditEntry> page = storage.read(position, PAGE);
            for (AuditEntry entry : page) {
                if (query.matches(entry)) {
                    result.add(entry);
                    if (result.size() >= query.limit()) {
                        return result;
                    }
                }
            }
            if (page.size() < PAGE) {
                return result;
            }
            position += page.size();
        }
    }

    @Override
    public Optional<LedgerAnchor> head()
    {
        return storage.last().map(entry -> new LedgerAnchor(entry.sequence(), entry.hash()));
    }

    @Override
    public LedgerVerification verify()
    {
        return walk(Optional.empty());
    }

    @Override
    public LedgerVerification verify(LedgerAnchor anchor)
    {
        return walk(Optional.of(requireNonNull(anchor, "anchor is null")));
    }

    private LedgerVerification walk(Optional<LedgerAnchor> anchor)
    {
        long expected = 1;
        String previousHash = AuditEntry.GENESIS_HASH;
        long position = 1;
        boolean anchorSeen = false;
        while (true) {
            List<AuditEntry> page = storage.read(position, PAGE);
            for (AuditEntry entry : page) {
                if (!entry.computeHash().equals(entry.hash())) {
                    return bad(expected - 1, LedgerProblem.ALTERED, expected, "entry " + expected + " was altered: its content no longer gives its hash");
                }
                if (entry.sequence() != expected) {
                    if (appearsLater(position + 1, expected)) {
                        return bad(expected - 1, LedgerProblem.REORDERED, expected,
                                "entry " + expected + " is out of place: found entry " + entry.sequence() + " where it belongs");
                    }
                    return bad(expected - 1, LedgerProblem.REMOVED, expected,
                            "entry " + expected + " was removed: the next entry found is " + entry.sequence());
                }
                if (!entry.previousHash().equals(previousHash)) {
                    long altered = Math.max(1, expected - 1);
                    return bad(expected - 1, LedgerProblem.ALTERED, altered,
                            "entry " + altered + " was altered: entry " + expected + " committed to a different hash for it");
                }
                if (anchor.isPresent() && anchor.get().sequence() == expected) {
                    if (!anchor.get().hash().equals(entry.hash())) {
                        return bad(expected, LedgerProblem.ALTERED, expected, "entry " + expected + " differs from the anchor recorded for it");
                    }
                    anchorSeen = true;
                }
                previousHash = entry.hash();
                expected++;
                position++;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        long count = expected - 1;
        if (anchor.isPresent() && !anchorSeen) {
            return bad(count, LedgerProblem.REMOVED, count + 1, "the ledger ends at entry " + count + " but the anchor names entry " + anchor.get().sequence());
        }
        Optional<LedgerAnchor> head = count == 0 ? Optional.empty() : Optional.of(new LedgerAnchor(count, previousHash));
        return new LedgerVerification(count, Optional.empty(), OptionalLong.empty(), count + " entries verified", head);
    }

    private boolean appearsLater(long fromPosition, long sequence)
    {
        long position = fromPosition;
        while (true) {
            List<AuditEntry> page = storage.read(position, PAGE);
            for (AuditEntry entry : page) {
                if (entry.sequence() == sequence) {
                    return true;
                }
            }
            if (page.size() < PAGE) {
                return false;
            }
            position += page.size();
        }
    }

    private static LedgerVerification bad(long checked, LedgerProblem problem, long sequence, String explanation)
    {
        return new LedgerVerification(checked, Optional.of(problem), OptionalLong.of(sequence), explanation, Optional.empty());
    }
}
