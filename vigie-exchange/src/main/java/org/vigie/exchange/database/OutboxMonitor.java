package org.vigie.exchange.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What monitoring reads from the outbox: per registered partner, the envelopes not yet stored (depth) and
 * when the last envelope was recorded as stored on the partner's receipt. One grouped query, plain SQL for
 * both vendors.
 */
public final class OutboxMonitor
{
    private OutboxMonitor() {}

    /** One partner's outbox as monitoring sees it. */
    public record PartnerOutbox(String partnerId, long depth, Optional<Instant> lastStoredReceipt)
    {
        public PartnerOutbox
        {
            requireNonNull(partnerId, "partnerId is null");
            requireNonNull(lastStoredReceipt, "lastStoredReceipt is null");
        }
    }

    /** Every registered partner (and any partner still holding outbox rows), sorted by id. */
    public static List<PartnerOutbox> partners(ExchangeDatabase database)
    {
        // A stored envelope's next_attempt_at is the time its STORED receipt was recorded (the delivery
        // records "now" as the next attempt of a finished entry).
        return database.read("read the outbox depth per partner", connection -> {
            List<PartnerOutbox> result = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT p.partner_id, "
                    + "COALESCE(SUM(CASE WHEN o.state <> 'STORED' THEN 1 ELSE 0 END), 0), MAX(CASE WHEN o.state = 'STORED' THEN o.next_attempt_at END) "
                    + "FROM (SELECT id AS partner_id FROM vigie_exchange_partner UNION SELECT partner_id FROM vigie_exchange_outbox) p "
                    + "LEFT JOIN vigie_exchange_outbox o ON o.partner_id = p.partner_id GROUP BY p.partner_id ORDER BY p.partner_id");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long stored = rows.getLong(3);
                    Optional<Instant> last = rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(stored));
                    result.add(new PartnerOutbox(rows.getString(1), rows.getLong(2), last));
                }
            }
            return List.copyOf(result);
        });
    }
}
