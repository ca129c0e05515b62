package org.vigie.exchange.database;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.LedgerAnchor;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.audit.LedgerVerification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Copies a node's exchange state from one exchange database to another (SQLite {@code exchange.db} to the
 * store's PostgreSQL, for {@code vigie migrate}): the audit ledger, partners, trust groups, the release
 * policy, the node identity (public part), outboxes, received objects, inbox receipts and inbox sequences,
 * every row as it is, in one target transaction. Delivery leases are not copied: they belong to processes
 * that are stopped during a migration. Then it verifies: per table the row count and a checksum of every
 * row (whatever the order), and that the copied ledger's hash chain verifies up to the source's head.
 */
public final class ExchangeMigration
{
    /** The tables copied, in an order that satisfies no constraint in particular (there are no foreign keys). */
    public static final List<String> TABLES = List.of(
            "vigie_audit_ledger",
            "vigie_exchange_partner",
            "vigie_exchange_trust_group",
            "vigie_exchange_policy",
            "vigie_exchange_node_identity",
            "vigie_exchange_outbox",
            "vigie_exchange_outbox_object",
            "vigie_exchange_received_object",
            "vigie_exchange_inbox_receipt",
            "vigie_exchange_received_sequence",
            "vigie_exchange_read_holder",
            "vigie_exchange_propagated_version");

    private ExchangeMigration() {}

    /** What was copied and verified: per table its rows and checksum, and the ledger head both sides share. */
    public record Summary(List<Table> tables, long ledgerEntries, Optional<LedgerAnchor> ledgerHead)
    {
        public Summary
        {
            tables = List.copyOf(requireNonNull(tables, "tables is null"));
            requireNonNull(ledgerHead, "ledgerHead is null");
        }

        public long rows(String table)
        {
            return tables.stream().filter(summary -> summary.name().equals(table)).mapToLong(Table::rows).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no table " + table + " in the exchange migration summary"));
        }

        /** One line per table, then the ledger. */
        public List<String> lines()
        {
            List<String> lines = new ArrayList<>();
            for (Table table : tables) {
                lines.add(String.format("exchange table %-33s %8d rows  checksum %s  verified", table.name(), table.rows(), table.checksum().substring(0, 16)));
            }
            lines.add("exchange audit ledger: " + ledgerEntries + " entries, hash chain verified" + ledgerHead.map(head -> ", head " + head.sequence() + ":" + head.hash()).orElse(""));
            return lines;
        }
    }

    public record Table(String name, long rows, String checksum)
    {
        public Table
        {
            requireNonNull(name, "name is null");
            requireNonNull(checksum, "checksum is null");
        }
    }

    /** Fails, naming the first non-empty table, unless every copied table of {@code target} is empty. */
    public static void requireEmpty(ExchangeDatabase target, String location)
    {
        for (String table : TABLES) {
            long rows = target.read("count the rows of " + table, connection -> count(connection, table));
            if (rows > 0) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "target exchange database " + location + " is not empty: table " + table + " has " + rows
                        + " rows; migrate into a new database");
            }
        }
    }

    /** Copies every table of {@link #TABLES} into the empty {@code target}, then verifies the copy. */
    public static Summary copy(ExchangeDatabase source, ExchangeDatabase target, String targetLocation, InstantSource clock)
    {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        requireEmpty(target, targetLocation);
        target.inTransaction("copy the exchange tables", connection -> {
            for (String table : TABLES) {
                source.read("read " + table, sourceConnection -> {
                    copyTable(sourceConnection, connection, table);
                    return null;
                });
            }
            // Partners were written around the registry: a process that cached the target's empty registry reads it again.
            try (PreparedStatement statement = connection.prepareStatement("UPDATE vigie_exchange_registry_version SET version = version + 1 WHERE id = 1")) {
                statement.executeUpdate();
            }
            return null;
        });
        List<Table> tables = new ArrayList<>();
        for (String table : TABLES) {
            Table copied = source.read("summarise " + table, connection -> summarise(connection, table));
            Table landed = target.read("summarise " + table, connection -> summarise(connection, table));
            if (!copied.equals(landed)) {
                throw new VigieException(ErrorCode.STORE_MIGRATION_FAILED, "exchange table " + table + " differs after the copy: source " + copied.rows() + " rows, checksum "
                        + copied.checksum() + "; target " + landed.rows() + " rows, checksum " + landed.checksum());
            }
            tables.add(copied);
        }
        AuditLedger sourceLedger = AuditLedger.create(LedgerStorage.jdbc(source.dataSource()), clock);
        AuditLedger targetLedger = AuditLedger.create(LedgerStorage.jdbc(target.dataSource()), clock);
        Optional<LedgerAnchor> head = sourceLedger.head();
        LedgerVerification verification = head.isPresent() ? targetLedger.verify(head.get()) : targetLedger.verify();
        if (!verification.valid()) {
            throw new VigieException(ErrorCode.AUDIT_LEDGER_BROKEN, "the copied audit ledger in " + targetLocation + " does not verify at entry "
                    + (verification.firstBadSequence().isPresent() ? Long.toString(verification.firstBadSequence().getAsLong()) : "?") + ": " + verification.explanation());
        }
        return new Summary(tables, verification.entriesChecked(), head);
    }

    private static long count(Connection connection, String table)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void copyTable(Connection source, Connection target, String table)
            throws SQLException
    {
        try (PreparedStatement select = source.prepareStatement("SELECT * FROM " + table); ResultSet rows = select.executeQuery()) {
            ResultSetMetaData metadata = rows.getMetaData();
            int columns = metadata.getColumnCount();
            StringBuilder names = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (int column = 1; column <= columns; column++) {
                names.append(column == 1 ? "" : ", ").append(metadata.getColumnName(column));
                marks.append(column == 1 ? "?" : ", ?");
            }
            try (PreparedStatement insert = target.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")")) {
                int batched = 0;
                while (rows.next()) {
                    for (int column = 1; column <= columns; column++) {
                        insert.setObject(column, rows.getObject(column));
                    }
                    insert.addBatch();
                    if (++batched % 1_000 == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
        }
    }

    /** Row count and a SHA-256 over the sorted text of every row, so that row order and vendor types do not matter. */
    private static Table summarise(Connection connection, String table)
            throws SQLException
    {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM " + table); ResultSet rows = select.executeQuery()) {
            ResultSetMetaData metadata = rows.getMetaData();
            List<String> names = new ArrayList<>();
            for (int column = 1; column <= metadata.getColumnCount(); column++) {
                names.add(metadata.getColumnName(column).toLowerCase(Locale.ROOT));
            }
            List<Integer> order = new ArrayList<>();
            names.stream().sorted().forEach(name -> order.add(names.indexOf(name) + 1));
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int column : order) {
                    String value = rows.getString(column);
                    line.append(value == null ? "\u0000" : value.length() + ":" + value).append('\u0001');
                }
                lines.add(line.toString());
            }
        }
        lines.sort(null);
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
        for (String line : lines) {
            digest.update(line.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return new Table(table, lines.size(), HexFormat.of().formatHex(digest.digest()));
    }
}
