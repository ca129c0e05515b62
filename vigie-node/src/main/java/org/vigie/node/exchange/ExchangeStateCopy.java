package org.vigie.node.exchange;

import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.database.ExchangeMigration;
import org.vigie.store.StoreConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The exchange part of {@code vigie migrate}: when a node's store moves to PostgreSQL, its exchange state
 * (audit ledger, partners, groups, policy, identity, outboxes, inbox sequences and receipts) moves from
 * {@code <data-dir>/exchange.db} into the same PostgreSQL database, where the node will open it.
 */
public final class ExchangeStateCopy
{
    private final Path dataDirectory;
    private final StoreConfig source;
    private final StoreConfig target;

    private ExchangeStateCopy(Path dataDirectory, StoreConfig source, StoreConfig target)
    {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
    }

    /** A copy from the data directory's exchange to the one beside {@code target}. */
    public static ExchangeStateCopy of(Path dataDirectory, StoreConfig source, StoreConfig target)
    {
        return new ExchangeStateCopy(dataDirectory, source, target);
    }

    /** Whether there is anything to move: an SQLite exchange file, and a target on PostgreSQL. */
    public boolean needed()
    {
        return source.isSqlite() && !target.isSqlite() && Files.exists(dataDirectory.resolve(ExchangeStorage.DATABASE_FILE));
    }

    /** Fails, naming the table, when the target already holds exchange rows (checked before anything is copied). */
    public void requireEmptyTarget()
    {
        try (ExchangeDatabase database = ExchangeDatabase.postgresql(target)) {
            ExchangeMigration.requireEmpty(database, location(target));
        }
    }

    /** Copies and verifies; the report lines to print. */
    public List<String> copy(InstantSource clock)
    {
        try (ExchangeStorage from = ExchangeStorage.openExisting(dataDirectory, source, clock, "migrate");
                ExchangeDatabase to = ExchangeDatabase.postgresql(target)) {
            return ExchangeMigration.copy(from.database(), to, location(target), clock).lines();
        }
    }

    private static String location(StoreConfig store)
    {
        return store.url().replaceAll("password=[^&;]*", "password=****") + " (schema " + ExchangeDatabase.POSTGRESQL_SCHEMA + ")";
    }
}
