package org.vigie.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.store.StoreConfig;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * Relay leadership as a PostgreSQL session-level advisory lock: no table to migrate, and the lock goes with the
 * session, so a killed leader frees it as soon as the server sees its connection close.
 */
final class PostgresRelayLeadership
        implements RelayLeadership
{
    private static final Logger LOG = LoggerFactory.getLogger(PostgresRelayLeadership.class);
    private static final int VALID_SECONDS = 2;

    private final StoreConfig store;
    private final String name;
    private final long lockKey;
    private Connection connection;
    private boolean leading;

    PostgresRelayLeadership(StoreConfig store, String name)
    {
        this.store = requireNonNull(store, "store is null");
        this.name = requireNonNull(name, "name is null");
        if (store.isSqlite()) {
            throw new IllegalArgumentException("relay leadership through PostgreSQL needs a PostgreSQL store, not " + store.url());
        }
        this.lockKey = lockKey(name);
    }

    /** A stable 64-bit key for a name: the first 8 bytes of its SHA-256. */
    static long lockKey(String name)
    {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("vigie-relay-leader/" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public synchronized boolean lead()
    {
        try {
            if (connection != null && !connection.isValid(VALID_SECONDS)) {
                // The session, and the lock with it, may be gone: never relay on a lock that may be another's now.
                LOG.warn("relay leadership {}: connection to the database lost; no longer leading", name);
                disconnect();
            }
            if (connection == null) {
                connection = connect();
            }
            if (!leading) {
                leading = advisory("SELECT pg_try_advisory_lock(?)");
                if (leading) {
                    LOG.info("relay leadership {}: this process now relays the event log to Kafka", name);
                }
            }
            return leading;
        }
        catch (SQLException e) {
            LOG.warn("relay leadership {}: cannot reach the database: {}", name, e.getMessage());
            disconnect();
            return false;
        }
    }

    private Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        store.user().ifPresent(user -> properties.setProperty("user", user));
        store.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", "vigie relay leadership");
        // Bounds how long a lost server can hold lead() (and so the relay's check) up.
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(store.url(), properties);
    }

    private boolean advisory(String sql)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, lockKey);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    @Override
    public synchronized void resign()
    {
        if (!leading) {
            return;
        }
        leading = false;
        try {
            advisory("SELECT pg_advisory_unlock(?)");
        }
        catch (SQLException e) {
            // Closing the session frees the lock all the same.
            disconnect();
        }
    }

    private void disconnect()
    {
        leading = false;
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException e) {
                LOG.debug("relay leadership {}: closing the connection failed: {}", name, e.getMessage());
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close()
    {
        disconnect();
    }
}
