package org.vigie.exchange.testing;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.LedgerStorage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Ledger storage that fails the next {@code RECEIPT} append when told to, which fails the inbox's receiving
 * transaction after the objects were stored, as a crash between storing and committing would.
 */
public final class FailingReceiptLedger
        implements LedgerStorage
{
    private final LedgerStorage delegate;
    private final AtomicBoolean failNextReceipt;

    /** @param failNextReceipt set to make the next receipt fail; cleared when it does */
    public FailingReceiptLedger(LedgerStorage delegate, AtomicBoolean failNextReceipt)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.failNextReceipt = requireNonNull(failNextReceipt, "failNextReceipt is null");
    }

    @Override
    public Optional<AuditEntry> last()
    {
        return delegate.last();
    }

    @Override
    public void append(AuditEntry entry)
    {
        if (entry.kind() == AuditKind.RECEIPT && failNextReceipt.getAndSet(false)) {
            throw new VigieException(ErrorCode.AUDIT_LEDGER_BROKEN, "cannot append entry " + entry.sequence() + ": the node stopped");
        }
        delegate.append(entry);
    }

    @Override
    public List<AuditEntry> read(long fromPosition, int limit)
    {
        return delegate.read(fromPosition, limit);
    }
}
