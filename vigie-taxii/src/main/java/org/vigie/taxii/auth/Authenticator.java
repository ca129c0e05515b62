package org.vigie.taxii.auth;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ApiToken;
import org.vigie.store.ObjectStore;
import org.vigie.store.UserAccount;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.x500.X500Principal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Turns the credentials of a request into an {@link AuthenticatedUser}: HTTP Basic (user name and
 * password), bearer API tokens ({@code id.secret}) and TLS client certificates whose subject is mapped
 * to a user. An explicit {@code Authorization} header wins over the certificate.
 *
 * <p>Checking a slow hash on every request would cap throughput at a few requests per second, so a
 * successful verification is remembered for {@code cacheTime}, keyed by an HMAC of the presented
 * credential under a key that lives only in this process (the plaintext is never kept, and the keys
 * cannot be attacked offline). A cached user's rights are those read when the credential was checked:
 * changes to a user take effect within {@code cacheTime}. When a remembered verification expires, the
 * user (or token) is read again: if its stored hash is still the one the credential was verified
 * against, the credential is still right, so the verification is renewed with the current rights without
 * a new slow hash; a changed hash (new password, new token) makes it verify afresh. Thread-safe.
 */
public final class Authenticator
{
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    private final ObjectStore store;
    private final PasswordHasher hasher;
    private final InstantSource clock;
    private final Duration cacheTime;
    private final Function<X500Principal, Optional<String>> subjectUsers;
    private final byte[] cacheKey = new byte[32];
    // One keyed HMAC per thread: looking up and keying a Mac showed in the profile of every request.
    private final ThreadLocal<Mac> cacheKeyMac = ThreadLocal.withInitial(this::newCacheKeyMac);
    private final Map<String, CachedVerification> cache;
    // Verified when a user is unknown, so that a wrong user name costs as much time as a wrong password.
    private final String decoyHash;

    /** A successful verification, and the stored hash the credential matched (to renew it without re-hashing). */
    private record CachedVerification(AuthenticatedUser user, Instant expires, String verifiedHash) {}

    public Authenticator(ObjectStore store, PasswordHasher hasher, InstantSource clock, Duration cacheTime, int cacheSize, Function<X500Principal, Optional<String>> subjectUsers)
    {
        this.store = requireNonNull(store, "store is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.cacheTime = requireNonNull(cacheTime, "cacheTime is null");
        this.subjectUsers = requireNonNull(subjectUsers, "subjectUsers is null");
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must not be negative, was " + cacheSize);
        }
        new SecureRandom().nextBytes(cacheKey);
        this.cache = new LinkedHashMap<>(16, 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CachedVerification> eldest)
            {
                return size() > cacheSize;
            }
        };
        this.decoyHash = hasher.hash("decoy password");
    }

    /**
     * Authenticates a request. Fails with AUTHENTICATION_REQUIRED (HTTP 401) when there is no usable
     * credential or it is wrong; the message never says which part was wrong.
     */
    public AuthenticatedUser authenticate(Optional<String> authorization, Optional<X509Certificate> clientCertificate)
    {
        requireNonNull(authorization, "authorization is null");
        requireNonNull(clientCertificate, "clientCertificate is null");
        if (authorization.isPresent()) {
            String header = authorization.get().strip();
            int space = header.indexOf(' ');
            String scheme = space < 0 ? header : header.substring(0, space);
            String value = space < 0 ? "" : header.substring(space + 1).strip();
            if (scheme.equalsIgnoreCase("Basic")) {
                return basic(value);
            }
            if (scheme.equalsIgnoreCase("Bearer")) {
                return bearer(value);
            }
            throw unauthenticated("the Authorization scheme '" + scheme + "' is not supported; use Basic or Bearer");
        }
        if (clientCertificate.isPresent()) {
            X500Principal subject = clientCertificate.get().getSubjectX500Principal();
            String userName = subjectUsers.apply(subject)
                    .orElseThrow(() -> unauthenticated("the client certificate subject '" + subject.getName() + "' is not mapped to a user"));
            UserAccount account = store.findUser(userName)
                    .orElseThrow(() -> unauthenticated("the client certificate subject '" + subject.getName() + "' is mapped to a user that does not exist"));
            return AuthenticatedUser.of(account, AuthenticatedUser.Method.CLIENT_CERTIFICATE);
        }
        throw unauthenticated("this resource requires authentication: HTTP Basic, a bearer API token or a client certificate");
    }

    /** Forgets every remembered verification, for example after an administrator changed users. */
    public void clearCache()
    {
        synchronized (cache) {
            cache.clear();
        }
    }

    private AuthenticatedUser basic(String encoded)
    {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            throw unauthenticated("the Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw unauthenticated("the Basic credentials are not of the form user:password");
        }
        String userName = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String cacheKeyText = cacheKey("basic", userName + ":" + password);
        CachedVerification cached = cached(cacheKeyText);
        if (cached != null && isCurrent(cached)) {
            return cached.user();
        }
        Optional<UserAccount> account = store.findUser(userName);
        if (account.isEmpty()) {
            hasher.verify(password, decoyHash);
            throw unauthenticated("wrong user name or password");
        }
        String passwordHash = account.get().passwordHash();
        boolean renewed = cached != null && cached.verifiedHash().equals(passwordHash);
        if (!renewed && !hasher.verify(password, passwordHash)) {
            throw unauthenticated("wrong user name or password");
        }
        return remember(cacheKeyText, AuthenticatedUser.of(account.get(), AuthenticatedUser.Method.BASIC), passwordHash);
    }

    private AuthenticatedUser bearer(String token)
    {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            throw unauthenticated("the bearer token is not of the form id.secret");
        }
        String cacheKeyText = cacheKey("bearer", token);
        CachedVerification cached = cached(cacheKeyText);
        if (cached != null && isCurrent(cached)) {
            return cached.user();
        }
        String tokenId = token.substring(0, dot);
        String secret = token.substring(dot + 1);
        Optional<ApiToken> stored = store.findToken(tokenId);
        if (stored.isEmpty()) {
            hasher.verify(secret, decoyHash);
            throw unauthenticated("unknown or wrong bearer token");
        }
        String secretHash = stored.get().secretHash();
        boolean renewed = cached != null && cached.verifiedHash().equals(secretHash);
        if (!renewed && !hasher.verify(secret, secretHash)) {
            throw unauthenticated("unknown or wrong bearer token");
        }
        UserAccount account = store.findUser(stored.get().userName())
                .orElseThrow(() -> unauthenticated("the bearer token's user no longer exists"));
        return remember(cacheKeyText, AuthenticatedUser.of(account, AuthenticatedUser.Method.BEARER_TOKEN), secretHash);
    }

    /** The remembered verification of this credential, expired or not (an expired one may be renewed); null if none. */
    private CachedVerification cached(String key)
    {
        synchronized (cache) {
            return cache.get(key);
        }
    }

    private boolean isCurrent(CachedVerification verification)
    {
        return clock.instant().isBefore(verification.expires());
    }

    private AuthenticatedUser remember(String key, AuthenticatedUser user, String verifiedHash)
    {
        if (!cacheTime.isZero() && !cacheTime.isNegative()) {
            synchronized (cache) {
                cache.put(key, new CachedVerification(user, clock.instant().plus(cacheTime), verifiedHash));
            }
        }
        return user;
    }

    private String cacheKey(String scheme, String credential)
    {
        // doFinal leaves the Mac reset and keyed for the next use.
        Mac mac = cacheKeyMac.get();
        mac.update(scheme.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return HexFormat.of().formatHex(mac.doFinal(credential.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newCacheKeyMac()
    {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            return mac;
        }
        catch (GeneralSecurityException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "HmacSHA256 is not available in this JVM: " + e.getMessage(), e);
        }
    }

    private static VigieException unauthenticated(String message)
    {
        return new VigieException(ErrorCode.AUTHENTICATION_REQUIRED, message);
    }
}
