package org.vigie.node.exchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecords;
import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.stix.json.StixJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.InstantSource;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The release policy in effect, in table {@code vigie_exchange_policy} of the exchange database, so that
 * every process of a node (replicas on one PostgreSQL included) applies the same policy. Absent means deny
 * every release. {@link #current()} reads the row at each call (one small query per release or partner
 * pull) and parses it only when its hash changes, so {@code vigie policy set} takes effect in running
 * processes at their next release; a stored policy that no longer parses denies everything, since a broken
 * policy must never widen a release.
 *
 * <p>A data directory from before the table ({@code release-policy.json}) has its file imported on first
 * open and renamed {@code release-policy.json.imported}; its change was audited when it was set.
 */
final class StoredPolicy
{
    static final String LEGACY_FILE = "release-policy.json";
    private static final Logger LOG = LoggerFactory.getLogger(StoredPolicy.class);
    private static final String TABLE = "vigie_exchange_policy";

    private final ExchangeDatabase database;
    private final InstantSource clock;
    private Optional<Parsed> parsed = Optional.empty();

    private record Parsed(String sha256, ReleasePolicy policy) {}

    private record Row(String document, String sha256) {}

    StoredPolicy(ExchangeDatabase database, Path dataDirectory, InstantSource clock)
    {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
        importLegacyFile(dataDirectory.resolve(LEGACY_FILE));
    }

    /** The policy in effect: deny-all when none is stored or the stored one is broken. */
    synchronized ReleasePolicy current()
    {
        Optional<Row> row;
        try {
            row = row();
        }
        catch (VigieException e) {
            LOG.error("release policy cannot be read ({}); denying every release until it can", e.getMessage());
            return ReleasePolicy.denyAll();
        }
        if (row.isEmpty()) {
            return ReleasePolicy.denyAll();
        }
        if (parsed.isPresent() && parsed.get().sha256().equals(row.get().sha256())) {
            return parsed.get().policy();
        }
        ReleasePolicy policy;
        try {
            policy = parse(row.get());
        }
        catch (VigieException e) {
            LOG.error("{}; denying every release until it is fixed", e.getMessage());
            policy = ReleasePolicy.denyAll();
        }
        parsed = Optional.of(new Parsed(row.get().sha256(), policy));
        return policy;
    }

    /** The stored policy, read strictly: a broken one is an error naming the table. */
    Optional<ReleasePolicy> stored()
    {
        return row().map(StoredPolicy::parse);
    }

    /** Makes this policy the one in effect and records the change (name and hash) in the ledger, in one transaction. */
    void set(ReleasePolicy policy, AuditLedger ledger, String actor)
    {
        requireNonNull(policy, "policy is null");
        database.inTransaction("record the release policy change", connection -> {
            ledger.append(AuditRecords.policyChange(actor, policy));
            write(policy);
            return null;
        });
    }

    private void write(ReleasePolicy policy)
    {
        database.inTransaction("store release policy '" + policy.name() + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE + " (id, name, document, sha256, set_at) VALUES (1, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, document = excluded.document, sha256 = excluded.sha256, set_at = excluded.set_at")) {
                statement.setString(1, policy.name());
                statement.setString(2, StixJson.compact(policy.toJson()));
                statement.setString(3, CanonicalJson.sha256Hex(policy.toJson()));
                statement.setLong(4, clock.instant().toEpochMilli());
                statement.executeUpdate();
            }
            return null;
        });
    }

    private Optional<Row> row()
    {
        return database.read("read the release policy", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT document, sha256 FROM " + TABLE + " WHERE id = 1");
                    ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new Row(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        });
    }

    private static ReleasePolicy parse(Row row)
    {
        try {
            return ReleasePolicy.fromJson(row.document());
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "release policy stored in table " + TABLE + " is invalid: " + e.getMessage(), e);
        }
    }

    private void importLegacyFile(Path file)
    {
        if (!Files.exists(file) || row().isPresent()) {
            return;
        }
        ReleasePolicy policy;
        try {
            policy = PolicyFile.parse(file);
        }
        catch (VigieException e) {
            // As before the table: a broken file denies everything; it stays for the operator to fix and set.
            LOG.error("{}; not imported, every release is denied until a policy is set", e.getMessage());
            return;
        }
        write(policy);
        try {
            Files.move(file, file.resolveSibling(LEGACY_FILE + ".imported"), StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "release policy " + file + " was imported into the exchange database but cannot be renamed: " + e.getMessage(), e);
        }
        LOG.info("release policy '{}' imported from {} into the exchange database", policy.name(), file);
    }
}
