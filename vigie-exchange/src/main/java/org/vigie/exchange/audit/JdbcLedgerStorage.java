package org.vigie.exchange.audit;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.StixJson;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Plain JDBC over one table, created by the exchange database's migrations ({@code ExchangeDatabase}). The entry is kept whole as JSON text (what is hashed); the other
 * columns only index it. SQL written to run unchanged on SQLite and PostgreSQL.
 */
final class JdbcLedgerStorage
        implements LedgerStorage
{
    static final String TABLE = "vigie_audit_ledger";

    private final DataSource dataSource;

    JdbcLedgerStorage(DataSource dataSource)
    {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    @Override
    public Optional<AuditEntry> last()
    {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT entry FROM " + TABLE + " ORDER BY position DESC LIMIT 1");
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(parse(rows.getString(1))) : Optional.empty();
        }
        catch (SQLException e) {
            throw failure("read the last entry of " + TABLE, e);
        }
    }

    @Override
    public void append(AuditEntry entry)
    {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE
                        + " (position, sequence, recorded_at, kind, partner_id, entry) "
                        + "VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM " + TABLE + "), ?, ?, ?, ?, ?)")) {
            statement.setLong(1, entry.sequence());
            statement.setString(2, entry.toJson().get("timestamp").stringValue());
            statement.setString(3, entry.kind().name());
            statement.setString(4, entry.partnerId().orElse(null));
            statement.setString(5, StixJson.compact(entry.toJson()));
            statement.executeUpdate();
            announce(connection);
        }
        catch (SQLException e) {
            throw failure("append entry " + entry.sequence() + " to " + TABLE, e);
        }
    }

    @Override
    public List<AuditEntry> read(long fromPosition, int limit)
    {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT entry FROM " + TABLE + " WHERE position >= ? ORDER BY position LIMIT ?")) {
            statement.setLong(1, fromPosition);
            statement.setInt(2, limit);
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    entries.add(parse(rows.getString(1)));
                }
            }
            return entries;
        }
        catch (SQLException e) {
            throw failure("read " + TABLE + " from position " + fromPosition, e);
        }
    }

    // In the appending transaction: PostgreSQL delivers the notification at its commit, once however many entries it
    // appended (identical notifications of one transaction fold into one). SQLite has one process, told in-process.
    private static void announce(Connection connection)
            throws SQLException
    {
        if (connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("NOTIFY " + AuditLedger.APPEND_CHANNEL);
            }
        }
    }

    private static AuditEntry parse(String json)
    {
        return AuditEntry.fromJson(StixJson.parse(json));
    }

    private static VigieException failure(String what, SQLException e)
    {
        return new VigieException(ErrorCode.AUDIT_LEDGER_BROKEN, "cannot " + what + ": " + e.getMessage(), e);
    }
}
