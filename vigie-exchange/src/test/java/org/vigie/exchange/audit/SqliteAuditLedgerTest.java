package org.vigie.exchange.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.testing.TestDatabase;
import org.vigie.stix.json.StixJson;

import java.nio.file.Path;

/** The JDBC storage on a real SQLite file; tampering is done with plain SQL, as an intruder would. */
class SqliteAuditLedgerTest
        extends AuditLedgerContractTest
{
    @TempDir
    Path directory;

    private TestDatabase database;

    /** The database the storage lives in; PostgreSQL in the subclass. */
    TestDatabase newDatabase()
    {
        return TestDatabase.sqlite(directory.resolve("ledger.db"));
    }

    @AfterEach
    void closeDatabase()
    {
        database.close();
    }

    @Override
    protected LedgerStorage newStorage()
    {
        database = newDatabase();
        return LedgerStorage.jdbc(database.open().dataSource());
    }

    @Override
    protected void replaceAt(long position, AuditEntry entry)
    {
        database.execute("UPDATE vigie_audit_ledger SET entry = ? WHERE position = ?", StixJson.compact(entry.toJson()), position);
    }

    @Override
    protected void removeAt(long position)
    {
        database.execute("DELETE FROM vigie_audit_ledger WHERE position = ?", position);
    }

    @Override
    protected void swap(long position, long otherPosition)
    {
        String first = database.text("SELECT entry FROM vigie_audit_ledger WHERE position = ?", position);
        String second = database.text("SELECT entry FROM vigie_audit_ledger WHERE position = ?", otherPosition);
        database.execute("UPDATE vigie_audit_ledger SET entry = ? WHERE position = ?", second, position);
        database.execute("UPDATE vigie_audit_ledger SET entry = ? WHERE position = ?", first, otherPosition);
    }
}
