package org.vigie.exchange.database;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Who delivers each partner's outbox: a lease per partner in table {@code vigie_exchange_delivery_lease}
 * (owner, expiry). Replicas sharing one database each call {@link #acquire} before pushing a partner's next
 * envelope; only the owner of an unexpired lease gets {@code true}, so one replica at a time delivers a
 * partner's envelopes, in sequence order. A replica that dies keeps its lease until it expires; then
 * another takes it over and resumes at the oldest envelope not stored, which the partner may have
 * received already (its inbox answers a replay of the same envelope with the same receipt, so nothing
 * takes effect twice).
 *
 * <p>Taking a lease is one conditional {@code UPDATE} (plain SQL that runs unchanged on SQLite and
 * PostgreSQL), committed at once: the row's lock decides between two replicas that try at the same moment.
 * Expiry is read from the injected clock, so replicas' clocks should agree to well within a lease.
 */
public final class DeliveryLeases
{
    private static final String TABLE = "vigie_exchange_delivery_lease";

    private final ExchangeDatabase database;
    private final String owner;
    private final Duration duration;
    private final InstantSource clock;

    private DeliveryLeases(ExchangeDatabase database, String owner, Duration duration, InstantSource clock)
    {
        this.database = requireNonNull(database, "database is null");
        this.owner = requireNonNull(owner, "owner is null");
        this.duration = requireNonNull(duration, "duration is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (owner.isBlank()) {
            throw new IllegalArgumentException("owner is blank");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("lease duration must be positive: " + duration);
        }
    }

    /** Leases held as {@code owner} for {@code duration} each, measured on {@code clock}. */
    public static DeliveryLeases on(ExchangeDatabase database, String owner, Duration duration, InstantSource clock)
    {
        return new DeliveryLeases(database, owner, duration, clock);
    }

    public String owner()
    {
        return owner;
    }

    /**
     * Takes or renews the lease of a partner's outbox until now plus the lease duration; false when another
     * owner holds an unexpired lease.
     */
    public boolean acquire(String partnerId)
    {
        requireNonNull(partnerId, "partnerId is null");
        long now = clock.instant().toEpochMilli();
        return update("take the delivery lease of partner " + partnerId, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " (partner_id, owner, expires_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT (partner_id) DO NOTHING")) {
                insert.setString(1, partnerId);
                insert.setString(2, owner);
                insert.setLong(3, now + duration.toMillis());
                if (insert.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement take = connection.prepareStatement("UPDATE " + TABLE + " SET owner = ?, expires_at = ? "
                    + "WHERE partner_id = ? AND (owner = ? OR expires_at <= ?)")) {
                take.setString(1, owner);
                take.setLong(2, now + duration.toMillis());
                take.setString(3, partnerId);
                take.setString(4, owner);
                take.setLong(5, now);
                return take.executeUpdate() == 1;
            }
        });
    }

    /** Gives the lease back (when a delivery round is done with the partner), if this owner holds it. */
    public void release(String partnerId)
    {
        requireNonNull(partnerId, "partnerId is null");
        long now = clock.instant().toEpochMilli();
        update("give back the delivery lease of partner " + partnerId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE " + TABLE + " SET expires_at = ? WHERE partner_id = ? AND owner = ? AND expires_at > ?")) {
                statement.setLong(1, now);
                statement.setString(2, partnerId);
                statement.setString(3, owner);
                statement.setLong(4, now);
                return statement.executeUpdate() == 1;
            }
        });
    }

    /** The current lease of a partner's outbox, expired or not. */
    public Optional<Lease> lease(String partnerId)
    {
        return database.read("read the delivery lease of partner " + partnerId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT owner, expires_at FROM " + TABLE + " WHERE partner_id = ?")) {
                statement.setString(1, partnerId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(new Lease(partnerId, rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)))) : Optional.empty();
                }
            }
        });
    }

    /** A partner's lease: who delivers its outbox, until when. */
    public record Lease(String partnerId, String owner, Instant expires)
    {
        public Lease
        {
            requireNonNull(partnerId, "partnerId is null");
            requireNonNull(owner, "owner is null");
            requireNonNull(expires, "expires is null");
        }
    }

    // Committed on its own connection, outside the exchange's writer lock: a lease is one row and must not
    // wait behind a long release, nor join one.
    private boolean update(String what, SqlWork<Boolean> work)
    {
        try (Connection connection = database.rawConnection()) {
            connection.setAutoCommit(false);
            try {
                boolean result = work.run(connection);
                connection.commit();
                return result;
            }
            catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "exchange database: cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
