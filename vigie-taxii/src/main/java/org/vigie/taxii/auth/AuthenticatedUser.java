package org.vigie.taxii.auth;

import org.vigie.store.UserAccount;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The principal of a request, after authentication: the user's name and rights as they were when the
 * credential was checked, and how the user proved its identity.
 */
public record AuthenticatedUser(String name, List<String> readCollections, List<String> writeCollections, boolean administrator, Method method)
{
    public enum Method
    {
        BASIC,
        BEARER_TOKEN,
        CLIENT_CERTIFICATE
    }

    public AuthenticatedUser
    {
        requireNonNull(name, "name is null");
        readCollections = List.copyOf(requireNonNull(readCollections, "readCollections is null"));
        writeCollections = List.copyOf(requireNonNull(writeCollections, "writeCollections is null"));
        requireNonNull(method, "method is null");
    }

    public static AuthenticatedUser of(UserAccount account, Method method)
    {
        return new AuthenticatedUser(account.name(), account.readCollections(), account.writeCollections(), account.administrator(), method);
    }

    public boolean canRead(String collectionId)
    {
        return administrator || readCollections.contains(UserAccount.ALL_COLLECTIONS) || readCollections.contains(collectionId);
    }

    public boolean canWrite(String collectionId)
    {
        return administrator || writeCollections.contains(UserAccount.ALL_COLLECTIONS) || writeCollections.contains(collectionId);
    }

    /** Whether the user may know the collection exists at all. */
    public boolean canSee(String collectionId)
    {
        return canRead(collectionId) || canWrite(collectionId);
    }
}
