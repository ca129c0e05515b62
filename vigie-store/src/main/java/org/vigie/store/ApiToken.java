package org.vigie.store;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A bearer API token of a user. The token given to the user is {@code id + "." + secret}; only the id and
 * a slow hash of the secret are stored.
 */
public record ApiToken(String id, String userName, String secretHash, Instant created)
{
    public ApiToken
    {
        requireNonNull(id, "id is null");
        requireNonNull(userName, "userName is null");
        requireNonNull(secretHash, "secretHash is null");
        requireNonNull(created, "created is null");
    }
}
