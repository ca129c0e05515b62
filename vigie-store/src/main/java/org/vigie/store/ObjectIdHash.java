package org.vigie.store;

import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/**
 * The stored hash of an object id (column {@code id_hash}, see V7__object_id_hash.sql): the first eight bytes of the
 * SHA-256 of the id's UTF-8 bytes, read as a big-endian signed 64-bit number. Rows are found by id through an index on
 * (collection, hash), eight bytes instead of the id's forty and more, and every query also compares the id itself, so
 * two ids that share a hash are still told apart. SHA-256 rather than a faster hash because ids come from partners:
 * making many ids share one hash (which slows down their look-ups, never confuses them) then costs about 2^32 work
 * per id. PostgreSQL computes the same value in SQL ({@code sha256}); SQLite has no such function, so migrations
 * register this one as {@code vigie_id_hash} on the migrating connection.
 */
public final class ObjectIdHash
{
    static final String SQLITE_FUNCTION = "vigie_id_hash";

    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(ObjectIdHash::newDigest);

    private ObjectIdHash() {}

    /** The hash of an id (of any text: the console's search index keys its rows by the same function). */
    public static long of(String objectId)
    {
        requireNonNull(objectId, "objectId is null");
        byte[] digest = DIGESTS.get().digest(objectId.getBytes(StandardCharsets.UTF_8));
        long hash = 0;
        for (int index = 0; index < Long.BYTES; index++) {
            hash = hash << 8 | digest[index] & 0xff;
        }
        return hash;
    }

    private static MessageDigest newDigest()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Registers {@link #SQLITE_FUNCTION} on each SQLite connection Flyway migrates on, before its migrations run. */
    static final class SqliteFunction
            extends BaseCallback
    {
        @Override
        public boolean supports(Event event, Context context)
        {
            return event == Event.BEFORE_EACH_MIGRATE;
        }

        @Override
        public void handle(Event event, Context context)
        {
            try {
                Function.create(context.getConnection().unwrap(SQLiteConnection.class), SQLITE_FUNCTION, new Function()
                {
                    @Override
                    protected void xFunc()
                            throws SQLException
                    {
                        if (args() != 1) {
                            throw new SQLException(SQLITE_FUNCTION + " takes one argument, not " + args());
                        }
                        result(of(value_text(0)));
                    }
                }, 1, Function.FLAG_DETERMINISTIC);
            }
            catch (SQLException e) {
                throw new IllegalStateException("cannot register SQLite function " + SQLITE_FUNCTION + ": " + e.getMessage(), e);
            }
        }
    }
}
