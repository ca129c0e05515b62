package org.vigie.taxii.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** How the client authenticates: HTTP Basic, a bearer API token, or nothing (client certificates are set on the SSLContext). */
public final class ClientCredentials
{
    private final Optional<String> authorization;
    private final String description;

    private ClientCredentials(Optional<String> authorization, String description)
    {
        this.authorization = authorization;
        this.description = description;
    }

    public static ClientCredentials basic(String user, String password)
    {
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        String encoded = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new ClientCredentials(Optional.of("Basic " + encoded), "basic(" + user + ")");
    }

    public static ClientCredentials bearer(String token)
    {
        requireNonNull(token, "token is null");
        return new ClientCredentials(Optional.of("Bearer " + token), "bearer");
    }

    public static ClientCredentials none()
    {
        return new ClientCredentials(Optional.empty(), "none");
    }

    Optional<String> authorizationHeader()
    {
        return authorization;
    }

    @Override
    public String toString()
    {
        // Never print a secret.
        return "ClientCredentials[" + description + "]";
    }
}
