package org.vigie.taxii.auth;

import org.vigie.store.UserAccount;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The principal of a request, after authentication: the user's name and rights as they were when the
 * credential was checked, how the user proved its identity, and the partner it reads as, if any (then
 * every read is filtered by the release policy for that partner).
 */
public record AuthenticatedUser(String name, List<String> readCollections, List<String> writeCollections, boolean administrator, Method method, Optional<String> partnerId)
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
        requireNonNull(partnerId, "partnerId is null");
    }

    /** A node user who reads as itself. */
    public AuthenticatedUser(String name, List<String> readCollections, List<String> writeCollections, boolean administrator, Method method)
    {
        this(name, readCollections, writeCollections, administrator, method, Optional.empty());
    }

    /** A partner's node authenticated by its pinned certificate: it may read every collection the policy opens to it, write none. */
    public static AuthenticatedUser partner(String partnerId)
    {
        return new AuthenticatedUser("partner:" + partnerId, List.of(UserAccount.ALL_COLLECTIONS), List.of(), false, Method.CLIENT_CERTIFICATE, Optional.of(partnerId));
    }

    /** This user reading as a partner: its own rights still apply, and the partner's policy on top. */
    public AuthenticatedUser asPartner(String partner)
    {
        return new AuthenticatedUser(name, readCollections, writeCollections, administrator, method, Optional.of(partner));
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
