package org.vigie.exchange.audit;

import org.vigie.exchange.testing.TestDatabase;

/** The same contract with the ledger in a real PostgreSQL server (schema vigie_exchange). */
class PostgresAuditLedgerTest
        extends SqliteAuditLedgerTest
{
    @Override
    TestDatabase newDatabase()
    {
        return TestDatabase.postgresql();
    }
}
