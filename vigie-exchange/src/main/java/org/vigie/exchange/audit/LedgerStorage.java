package org.vigie.exchange.audit;

import javax.sql.DataSource;
import java.util.List;
import java.util.Optional;

/**
 * Where ledger entries are kept, in append order. The storage does not compute or check hashes;
 * {@link AuditLedger} does. Positions start at 1 and equal the sequence of the entry appended there
 * (they only differ after tampering, which {@link AuditLedger#verify} detects).
 */
public interface LedgerStorage
{
    /** The entry at the highest position, if any. */
    Optional<AuditEntry> last();

    /** Appends at the next position; fails if an entry with this sequence exists. */
    void append(AuditEntry entry);

    /** Up to {@code limit} entries at positions {@code >= fromPosition}, in position order. */
    List<AuditEntry> read(long fromPosition, int limit);

    static LedgerStorage inMemory()
    {
        return new InMemoryLedgerStorage();
    }

    /** Storage in table {@code vigie_audit_ledger} of this database (created if missing); tested on SQLite. */
    static LedgerStorage jdbc(DataSource dataSource)
    {
        return new JdbcLedgerStorage(dataSource);
    }
}
