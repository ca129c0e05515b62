package org.vigie.store;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A node user. {@code passwordHash} is a self-describing slow hash (algorithm, parameters, salt, hash),
 * made and checked by the authentication layer. Rights list collection ids, or {@code "*"} for all.
 */
public record UserAccount(String name, String passwordHash, List<String> readCollections, List<String> writeCollections, boolean administrator)
{
    public static final String ALL_COLLECTIONS = "*";

    public UserAccount
    {
        requireNonNull(name, "name is null");
        requireNonNull(passwordHash, "passwordHash is null");
        readCollections = List.copyOf(requireNonNull(readCollections, "readCollections is null"));
        writeCollections = List.copyOf(requireNonNull(writeCollections, "writeCollections is null"));
    }

    public boolean canRead(String collectionId)
    {
        return administrator || readCollections.contains(ALL_COLLECTIONS) || readCollections.contains(collectionId);
    }

    public boolean canWrite(String collectionId)
    {
        return administrator || writeCollections.contains(ALL_COLLECTIONS) || writeCollections.contains(collectionId);
    }
}
