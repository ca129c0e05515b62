package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.store.StoreConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;

import static java.util.Objects.requireNonNull;

/**
 * Where a node keeps its exchange: the exchange database (outbox, provenance, sequences, partners, trust
 * groups, release policy and the audit ledger, in one database so that a release commits as one
 * transaction) and the identity file {@code <data-dir>/exchange-identity.json}. The database is the SQLite
 * file {@code <data-dir>/exchange.db} when the store is on SQLite, and the schema {@code vigie_exchange} of
 * the store's database when the store is on PostgreSQL, so that every replica of the node shares it.
 */
final class ExchangeStorage
        implements AutoCloseable
{
    static final String DATABASE_FILE = "exchange.db";

    private final Path dataDirectory;
    private final String location;
    private final ExchangeDatabase database;
    private final AuditLedger ledger;
    private final PartnerRegistry registry;
    private final NodeIdentity identity;
    private final StoredPolicy policy;

    private ExchangeStorage(Path dataDirectory, StoreConfig store, InstantSource clock, String actor)
    {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        Path file = dataDirectory.toAbsolutePath().normalize().resolve(DATABASE_FILE);
        this.location = store.isSqlite() ? file.toString() : store.url().replaceAll("password=[^&;]*", "password=****") + " (schema " + ExchangeDatabase.POSTGRESQL_SCHEMA + ")";
        this.database = ExchangeDatabase.beside(store, file);
        try {
            this.ledger = AuditLedger.create(LedgerStorage.jdbc(database.dataSource()), clock, database::afterCommit);
            this.registry = PartnerRegistry.jdbc(database, ledger, actor);
            this.identity = SharedIdentity.load(dataDirectory, database, location);
            this.policy = new StoredPolicy(database, dataDirectory, clock);
        }
        catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Opens the exchange of a data directory beside its store, creating the directory, database and identity when missing. */
    static ExchangeStorage open(Path dataDirectory, StoreConfig store, InstantSource clock, String actor)
    {
        try {
            Files.createDirectories(dataDirectory);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.DATA_DIRECTORY_INVALID, "data directory " + dataDirectory.toAbsolutePath() + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(dataDirectory) || !Files.isWritable(dataDirectory)) {
            throw new VigieException(ErrorCode.DATA_DIRECTORY_INVALID, "data directory " + dataDirectory.toAbsolutePath() + " is not a writable directory");
        }
        return new ExchangeStorage(dataDirectory, store, clock, actor);
    }

    /** As {@link #open}, for commands that only read: a missing data directory is an error, not created. */
    static ExchangeStorage openExisting(Path dataDirectory, StoreConfig store, InstantSource clock, String actor)
    {
        if (!Files.isDirectory(dataDirectory)) {
            throw new VigieException(ErrorCode.DATA_DIRECTORY_INVALID, "data directory " + dataDirectory.toAbsolutePath() + " does not exist");
        }
        return open(dataDirectory, store, clock, actor);
    }

    /** Makes this policy the one in effect and records the change (name and hash) in the ledger, in one transaction. */
    void setPolicy(ReleasePolicy policy, String actor)
    {
        this.policy.set(policy, ledger, actor);
    }

    Path dataDirectory()
    {
        return dataDirectory;
    }

    /** The SQLite file or the PostgreSQL database (password hidden) that holds the exchange, for messages. */
    String location()
    {
        return location;
    }

    ExchangeDatabase database()
    {
        return database;
    }

    AuditLedger ledger()
    {
        return ledger;
    }

    PartnerRegistry registry()
    {
        return registry;
    }

    NodeIdentity identity()
    {
        return identity;
    }

    StoredPolicy policy()
    {
        return policy;
    }

    @Override
    public void close()
    {
        database.close();
    }
}
