package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.database.ExchangeDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Binds a data directory's identity file to the exchange database: the first process records the public
 * part (identity id and key) in {@code vigie_exchange_node_identity}; every later one, a replica on the same
 * PostgreSQL in particular, must hold the same identity, or partners would receive envelopes signed by a
 * key they do not pin. A replica's data directory gets its identity by copying the file, never by
 * generating one: a missing file is an error when the database already names an identity.
 */
final class SharedIdentity
{
    private static final String TABLE = "vigie_exchange_node_identity";

    private SharedIdentity() {}

    private record Recorded(String identityId, String publicKey) {}

    static NodeIdentity load(Path dataDirectory, ExchangeDatabase database, String location)
    {
        Path file = NodeIdentity.file(dataDirectory);
        Optional<Recorded> recorded = recorded(database);
        if (recorded.isPresent() && !Files.exists(file)) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "exchange database " + location + " belongs to identity " + recorded.get().identityId()
                    + " but data directory " + dataDirectory.toAbsolutePath() + " has no " + NodeIdentity.FILE_NAME
                    + "; copy that file (owner-only, chmod 600) from a data directory of this node, such as another replica's");
        }
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataDirectory);
        Recorded own = new Recorded(identity.identityId(), identity.publicKey().toJSONString());
        if (recorded.isEmpty()) {
            database.inTransaction("record the node identity", connection -> {
                try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE + " (id, identity_id, public_key) VALUES (1, ?, ?) "
                        + "ON CONFLICT (id) DO NOTHING")) {
                    statement.setString(1, own.identityId());
                    statement.setString(2, own.publicKey());
                    statement.executeUpdate();
                }
                return null;
            });
            // Another process may have recorded its own identity first.
            recorded = recorded(database);
        }
        if (!recorded.orElseThrow().equals(own)) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "exchange database " + location + " belongs to identity " + recorded.get().identityId()
                    + " but " + NodeIdentity.file(dataDirectory).toAbsolutePath() + " holds " + (own.identityId().equals(recorded.get().identityId()) ? "another signing key" : "identity " + own.identityId())
                    + "; every process of a node must use the same identity file");
        }
        return identity;
    }

    private static Optional<Recorded> recorded(ExchangeDatabase database)
    {
        return database.read("read the node identity", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT identity_id, public_key FROM " + TABLE + " WHERE id = 1");
                    ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new Recorded(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        });
    }
}
