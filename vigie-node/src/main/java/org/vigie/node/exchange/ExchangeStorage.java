package org.vigie.node.exchange;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.sqlite.SQLiteDataSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecords;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleasePolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;

import static java.util.Objects.requireNonNull;

/**
 * The exchange's files in a data directory: the SQLite database {@code exchange.db} (outbox, provenance,
 * sequences, partners, trust groups and the audit ledger, in one file so that a release commits as one
 * transaction), the identity file and the release policy file.
 */
final class ExchangeStorage
{
    static final String DATABASE_FILE = "exchange.db";

    private final Path dataDirectory;
    private final ExchangeDatabase database;
    private final AuditLedger ledger;
    private final PartnerRegistry registry;
    private final NodeIdentity identity;
    private final PolicyFile policyFile;

    private ExchangeStorage(Path dataDirectory, InstantSource clock, String actor)
    {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dataDirectory.toAbsolutePath().normalize().resolve(DATABASE_FILE));
        dataSource.setJournalMode("WAL");
        dataSource.setSynchronous("NORMAL");
        // The node and the CLI may write at once: wait for the other writer, and take the write lock when a
        // transaction begins, so that a transaction that reads first never fails to upgrade its lock.
        dataSource.setBusyTimeout(30_000);
        dataSource.setTransactionMode("IMMEDIATE");
        // Pooled: opening a SQLite connection per transaction cost more than the transaction, and closing the
        // last open connection checkpoints the WAL (fsync) every time. Idle connections retire after a while.
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("vigie-exchange");
        pool.setDataSource(dataSource);
        pool.setMaximumPoolSize(4);
        pool.setMinimumIdle(0);
        pool.setIdleTimeout(30_000);
        pool.setConnectionTimeout(60_000);
        this.database = ExchangeDatabase.on(new HikariDataSource(pool));
        this.ledger = AuditLedger.create(LedgerStorage.jdbc(database.dataSource()), clock);
        this.registry = PartnerRegistry.jdbc(database, ledger, actor);
        this.identity = NodeIdentity.loadOrCreate(dataDirectory);
        this.policyFile = new PolicyFile(dataDirectory);
    }

    /** Opens the exchange of a data directory, creating the directory, database and identity when missing. */
    static ExchangeStorage open(Path dataDirectory, InstantSource clock, String actor)
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
        return new ExchangeStorage(dataDirectory, clock, actor);
    }

    /** As {@link #open}, for commands that only read: a missing data directory is an error, not created. */
    static ExchangeStorage openExisting(Path dataDirectory, InstantSource clock, String actor)
    {
        if (!Files.isDirectory(dataDirectory)) {
            throw new VigieException(ErrorCode.DATA_DIRECTORY_INVALID, "data directory " + dataDirectory.toAbsolutePath() + " does not exist");
        }
        return open(dataDirectory, clock, actor);
    }

    /** Makes this policy the one in effect and records the change (name and hash) in the ledger. */
    void setPolicy(ReleasePolicy policy, String actor)
    {
        // The file is replaced inside the ledger's transaction: if the entry cannot be written the
        // transaction fails before the file changes, so no policy takes effect unrecorded.
        database.inTransaction("record the release policy change", connection -> {
            ledger.append(AuditRecords.policyChange(actor, policy));
            policyFile.write(policy);
            return null;
        });
    }

    Path dataDirectory()
    {
        return dataDirectory;
    }

    Path databaseFile()
    {
        return dataDirectory.resolve(DATABASE_FILE);
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

    PolicyFile policyFile()
    {
        return policyFile;
    }
}
