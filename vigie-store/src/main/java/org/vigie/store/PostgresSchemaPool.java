package org.vigie.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import static java.util.Objects.requireNonNull;

/**
 * A connection pool onto one schema of the PostgreSQL database a store configuration names, for the modules
 * that keep their own tables beside the store's (the exchange, the console's search index). Unqualified table
 * names resolve to that schema, so those modules' DML stays the same as on SQLite.
 */
public final class PostgresSchemaPool
{
    private PostgresSchemaPool() {}

    /**
     * Opens the pool; {@code purpose} names the database in the error when the server cannot be reached (for
     * example "exchange database").
     */
    public static HikariDataSource open(StoreConfig store, String poolName, String schema, int maximumPoolSize, String purpose)
    {
        requireNonNull(store, "store is null");
        requireNonNull(poolName, "poolName is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(purpose, "purpose is null");
        if (store.isSqlite()) {
            throw new IllegalArgumentException("not a PostgreSQL store: " + store.url());
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(store.url() + (store.url().contains("?") ? "&" : "?") + "currentSchema=" + schema);
        store.user().ifPresent(hikari::setUsername);
        store.password().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(maximumPoolSize);
        hikari.setMinimumIdle(1);
        try {
            return new HikariDataSource(hikari);
        }
        catch (RuntimeException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, purpose + " " + location(store) + " (schema " + schema + "): cannot connect: " + e.getMessage(), e);
        }
    }

    /** The store's URL with any password in it masked, for messages and logs. */
    public static String location(StoreConfig store)
    {
        return store.url().replaceAll("password=[^&;]*", "password=****");
    }
}
