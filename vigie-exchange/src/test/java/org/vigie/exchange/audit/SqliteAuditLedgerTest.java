package org.vigie.exchange.audit;

import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.vigie.stix.json.StixJson;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The JDBC storage on a real SQLite file; tampering is done with plain SQL, as an intruder would. */
class SqliteAuditLedgerTest
        extends AuditLedgerContractTest
{
    @TempDir
    Path directory;

    private SQLiteDataSource dataSource;

    @Override
    protected LedgerStorage newStorage()
    {
        dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + directory.resolve("ledger.db"));
        // WAL as the node runs it; no fsync per append in tests (durability is not under test here).
        dataSource.setJournalMode("WAL");
        dataSource.setSynchronous("OFF");
        return LedgerStorage.jdbc(dataSource);
    }

    @Override
    protected void replaceAt(long position, AuditEntry entry)
    {
        update("UPDATE vigie_audit_ledger SET entry = ? WHERE position = ?", StixJson.compact(entry.toJson()), position);
    }

    @Override
    protected void removeAt(long position)
    {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("DELETE FROM vigie_audit_ledger WHERE position = ?")) {
            statement.setLong(1, position);
            statement.executeUpdate();
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void swap(long position, long otherPosition)
    {
        String first = entryAt(position);
        String second = entryAt(otherPosition);
        update("UPDATE vigie_audit_ledger SET entry = ? WHERE position = ?", second, position);
        update("UPDATE vigie_audit_ledger SET entry = ? WHERE position = ?", first, otherPosition);
    }

    private String entryAt(long position)
    {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT entry FROM vigie_audit_ledger WHERE position = ?")) {
            statement.setLong(1, position);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, String text, long position)
    {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, text);
            statement.setLong(2, position);
            statement.executeUpdate();
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
