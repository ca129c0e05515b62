package org.vigie.taxii.auth;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ApiToken;
import org.vigie.store.ObjectStore;
import org.vigie.store.UserAccount;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Creates users and API tokens (used by the command line and by tests). Secrets are hashed here and
 * never stored: a new token's secret is returned once, to be handed to its owner.
 */
public final class UserAdministration
{
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final int TOKEN_ID_BYTES = 9;
    private static final int TOKEN_SECRET_BYTES = 32;

    private final ObjectStore store;
    private final PasswordHasher hasher;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();

    public UserAdministration(ObjectStore store, PasswordHasher hasher, InstantSource clock)
    {
        this.store = requireNonNull(store, "store is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A freshly issued token: {@link #token()} is {@code id.secret}, shown to its owner once. */
    public record IssuedToken(String id, String token)
    {
        public IssuedToken
        {
            requireNonNull(id, "id is null");
            requireNonNull(token, "token is null");
        }
    }

    public UserAccount createUser(String name, String password, List<String> readCollections, List<String> writeCollections, boolean administrator)
    {
        requireNonNull(name, "name is null");
        requireNonNull(password, "password is null");
        if (!USER_NAME.matcher(name).matches()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "user name '" + name + "' must be 1 to 128 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        if (password.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "user '" + name + "': the password must not be empty");
        }
        UserAccount account = new UserAccount(name, hasher.hash(password), readCollections, writeCollections, administrator);
        store.addUser(account);
        return account;
    }

    /** Replaces a user's password, keeping its rights. */
    public UserAccount changePassword(String name, String password)
    {
        UserAccount existing = store.findUser(name)
                .orElseThrow(() -> new VigieException(ErrorCode.USER_NOT_FOUND, "user '" + name + "' does not exist"));
        UserAccount updated = new UserAccount(name, hasher.hash(password), existing.readCollections(), existing.writeCollections(), existing.administrator());
        store.updateUser(updated);
        return updated;
    }

    /** Issues a bearer token for an existing user. */
    public IssuedToken createToken(String userName)
    {
        requireNonNull(userName, "userName is null");
        byte[] idBytes = new byte[TOKEN_ID_BYTES];
        byte[] secretBytes = new byte[TOKEN_SECRET_BYTES];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        // Hex id and base64url secret: neither contains '.', the separator.
        String id = HexFormat.of().formatHex(idBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        store.addToken(new ApiToken(id, userName, hasher.hash(secret), clock.instant()));
        return new IssuedToken(id, id + "." + secret);
    }
}
