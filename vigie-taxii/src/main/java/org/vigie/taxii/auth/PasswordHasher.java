package org.vigie.taxii.auth;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * Slow, salted password hashing with PBKDF2-HMAC-SHA256. The encoded hash describes itself:
 * {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}, so a hash made with other
 * iterations (an older default, or the fast setting of tests) still verifies.
 */
public final class PasswordHasher
{
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    public static final int MINIMUM_PRODUCTION_ITERATIONS = 210_000;

    private static final String ALGORITHM = "pbkdf2-sha256";
    private static final String JCA_ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    private PasswordHasher(int iterations)
    {
        if (iterations < 1) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "PBKDF2 iterations must be at least 1, was " + iterations);
        }
        this.iterations = iterations;
    }

    /** The production hasher ({@value #DEFAULT_ITERATIONS} iterations). */
    public static PasswordHasher standard()
    {
        return new PasswordHasher(DEFAULT_ITERATIONS);
    }

    /** A hasher with the given work factor; tests use a low one to stay fast. */
    public static PasswordHasher withIterations(int iterations)
    {
        return new PasswordHasher(iterations);
    }

    public int iterations()
    {
        return iterations;
    }

    /** Hashes a secret with a fresh random salt. */
    public String hash(String secret)
    {
        requireNonNull(secret, "secret is null");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(secret, salt, iterations);
        Base64.Encoder encoder = Base64.getEncoder().withoutPadding();
        return ALGORITHM + "$" + iterations + "$" + encoder.encodeToString(salt) + "$" + encoder.encodeToString(hash);
    }

    /**
     * Checks a secret against an encoded hash in constant time for hashes of equal length. A malformed
     * encoded hash never verifies (and is reported, because it means a corrupted user record).
     */
    public boolean verify(String secret, String encodedHash)
    {
        requireNonNull(secret, "secret is null");
        requireNonNull(encodedHash, "encodedHash is null");
        String[] parts = encodedHash.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(ALGORITHM)) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "stored password hash is not of the form " + ALGORITHM + "$iterations$salt$hash");
        }
        int storedIterations;
        byte[] salt;
        byte[] expected;
        try {
            storedIterations = Integer.parseInt(parts[1]);
            salt = Base64.getDecoder().decode(parts[2]);
            expected = Base64.getDecoder().decode(parts[3]);
        }
        catch (IllegalArgumentException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "stored password hash is malformed: " + e.getMessage(), e);
        }
        if (storedIterations < 1 || expected.length == 0) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "stored password hash has invalid parameters");
        }
        byte[] actual = derive(secret, salt, storedIterations, expected.length * 8);
        return MessageDigest.isEqual(actual, expected);
    }

    private static byte[] derive(String secret, byte[] salt, int iterations)
    {
        return derive(secret, salt, iterations, HASH_BITS);
    }

    private static byte[] derive(String secret, byte[] salt, int iterations, int bits)
    {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(JCA_ALGORITHM).generateSecret(spec).getEncoded();
        }
        catch (GeneralSecurityException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "PBKDF2 is not available in this JVM: " + e.getMessage(), e);
        }
        finally {
            spec.clearPassword();
        }
    }
}
