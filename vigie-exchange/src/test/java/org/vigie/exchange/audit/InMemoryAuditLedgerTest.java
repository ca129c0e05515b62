package org.vigie.exchange.audit;

class InMemoryAuditLedgerTest
        extends AuditLedgerContractTest
{
    private InMemoryLedgerStorage storage;

    @Override
    protected LedgerStorage newStorage()
    {
        storage = new InMemoryLedgerStorage();
        return storage;
    }

    @Override
    protected void replaceAt(long position, AuditEntry entry)
    {
        storage.replaceAt(position, entry);
    }

    @Override
    protected void removeAt(long position)
    {
        storage.removeAt(position);
    }

    @Override
    protected void swap(long position, long otherPosition)
    {
        storage.swap(position, otherPosition);
    }
}
