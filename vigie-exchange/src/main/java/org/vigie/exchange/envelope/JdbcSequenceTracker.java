package org.vigie.exchange.envelope;

import org.vigie.exchange.database.ExchangeDatabase;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static java.util.Objects.requireNonNull;

/**
 * Last accepted sequence per (sender, recipient) in a table. {@link #advance} is a compare-and-set
 * in SQL, so it also holds across processes, and it joins the caller's transaction: the sequence
 * commits with the stored objects and the receipt, or not at all.
 */
final class JdbcSequenceTracker
        implements SequenceTracker
{
    static final String TABLE = "vigie_exchange_received_sequence";

    private final ExchangeDatabase database;

    JdbcSequenceTracker(ExchangeDatabase database)
    {
        // The table comes with the exchange database's migrations.
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public long lastAccepted(String senderIdentityId, String recipientIdentityId)
    {
        return database.read("read the last sequence from " + senderIdentityId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT last_sequence FROM " + TABLE + " WHERE sender_identity_id = ? AND recipient_identity_id = ?")) {
                statement.setString(1, senderIdentityId);
                statement.setString(2, recipientIdentityId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public boolean advance(String senderIdentityId, String recipientIdentityId, long sequence)
    {
        return database.inTransaction("advance the sequence from " + senderIdentityId + " to " + sequence, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                    + " (sender_identity_id, recipient_identity_id, last_sequence) VALUES (?, ?, 0) ON CONFLICT (sender_identity_id, recipient_identity_id) DO NOTHING")) {
                insert.setString(1, senderIdentityId);
                insert.setString(2, recipientIdentityId);
                insert.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE
                    + " SET last_sequence = ? WHERE sender_identity_id = ? AND recipient_identity_id = ? AND last_sequence = ?")) {
                update.setLong(1, sequence);
                update.setString(2, senderIdentityId);
                update.setString(3, recipientIdentityId);
                update.setLong(4, sequence - 1);
                return update.executeUpdate() == 1;
            }
        });
    }
}
