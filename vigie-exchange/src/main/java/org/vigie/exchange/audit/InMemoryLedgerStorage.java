package org.vigie.exchange.audit;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class InMemoryLedgerStorage
        implements LedgerStorage
{
    private final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public synchronized Optional<AuditEntry> last()
    {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1));
    }

    @Override
    public synchronized void append(AuditEntry entry)
    {
        if (!entries.isEmpty() && entries.get(entries.size() - 1).sequence() >= entry.sequence()) {
            throw new VigieException(ErrorCode.AUDIT_LEDGER_BROKEN, "audit entry " + entry.sequence() + " does not follow entry " + entries.get(entries.size() - 1).sequence());
        }
        entries.add(entry);
    }

    @Override
    public synchronized List<AuditEntry> read(long fromPosition, int limit)
    {
        int from = (int) Math.max(0, fromPosition - 1);
        if (from >= entries.size()) {
            return List.of();
        }
        return List.copyOf(entries.subList(from, (int) Math.min(entries.size(), (long) from + limit)));
    }

    // Tampering, for tests that prove verification catches it.

    synchronized void replaceAt(long position, AuditEntry entry)
    {
        entries.set((int) position - 1, entry);
    }

    synchronized void removeAt(long position)
    {
        entries.remove((int) position - 1);
    }

    synchronized void swap(long position, long otherPosition)
    {
        AuditEntry entry = entries.get((int) position - 1);
        entries.set((int) position - 1, entries.get((int) otherPosition - 1));
        entries.set((int) otherPosition - 1, entry);
    }
}
