package org.vigie.store;

import org.vigie.config.ConfigurationValues;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Where the store lives: keys {@code store.url} ({@code jdbc:sqlite:...} or {@code jdbc:postgresql://...}),
 * {@code store.user}, {@code store.password} and {@code store.pool-size} (connections used for reads).
 */
public record StoreConfig(String url, Optional<String> user, Optional<String> password, int poolSize)
{
    public static final String URL = "store.url";
    public static final String USER = "store.user";
    public static final String PASSWORD = "store.password";
    public static final String POOL_SIZE = "store.pool-size";

    public static final String DEFAULT_URL = "jdbc:sqlite:vigie.db";
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final int MAXIMUM_POOL_SIZE = 256;

    private static final Set<String> KEYS = Set.of(URL, USER, PASSWORD, POOL_SIZE);
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRESQL_PREFIX = "jdbc:postgresql://";

    public StoreConfig
    {
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        if (!url.startsWith(SQLITE_PREFIX) && !url.startsWith(POSTGRESQL_PREFIX)) {
            throw ConfigurationValues.invalid(URL, url, "must start with " + SQLITE_PREFIX + " or " + POSTGRESQL_PREFIX);
        }
        if (url.startsWith(SQLITE_PREFIX) && url.length() == SQLITE_PREFIX.length()) {
            throw ConfigurationValues.invalid(URL, url, "names no database file");
        }
        if (poolSize < 1 || poolSize > MAXIMUM_POOL_SIZE) {
            throw ConfigurationValues.invalid(POOL_SIZE, Integer.toString(poolSize), "is outside 1.." + MAXIMUM_POOL_SIZE);
        }
    }

    /** The defaults: an SQLite file {@code vigie.db} in the working directory. */
    public static StoreConfig defaults()
    {
        return new StoreConfig(DEFAULT_URL, Optional.empty(), Optional.empty(), DEFAULT_POOL_SIZE);
    }

    /** An SQLite database in {@code databaseFile}, other settings at their defaults. */
    public static StoreConfig sqlite(Path databaseFile)
    {
        return new StoreConfig(SQLITE_PREFIX + databaseFile.toAbsolutePath(), Optional.empty(), Optional.empty(), DEFAULT_POOL_SIZE);
    }

    /**
     * Reads the {@code store.*} keys of a node configuration; other keys are left to their owners.
     * Unknown {@code store.*} keys are rejected so that a misspelt key is not silently ignored.
     */
    public static StoreConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        ConfigurationValues values = ConfigurationValues.of(properties);
        values.rejectUnknownKeys("store.", KEYS);
        String url = values.text(URL, DEFAULT_URL);
        // Not stripped: a password or user name may begin or end with a space.
        Optional<String> user = Optional.ofNullable(properties.get(USER)).filter(value -> !value.isEmpty());
        Optional<String> password = Optional.ofNullable(properties.get(PASSWORD)).filter(value -> !value.isEmpty());
        int poolSize = values.wholeNumber(POOL_SIZE, DEFAULT_POOL_SIZE, 1, MAXIMUM_POOL_SIZE);
        return new StoreConfig(url, user, password, poolSize);
    }

    public boolean isSqlite()
    {
        return url.startsWith(SQLITE_PREFIX);
    }

    /** The database file of an SQLite url, without any {@code ?} options. */
    public Path sqliteFile()
    {
        if (!isSqlite()) {
            throw new IllegalStateException("not an SQLite url: " + url);
        }
        String location = url.substring(SQLITE_PREFIX.length());
        int options = location.indexOf('?');
        return Path.of(options < 0 ? location : location.substring(0, options));
    }

    @Override
    public String toString()
    {
        // Never print the password: configurations end up in logs.
        return "StoreConfig[url=" + url + ", user=" + user + ", password=" + password.map(value -> "****") + ", poolSize=" + poolSize + "]";
    }
}
