package org.vigie.exchange.canonical;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import tools.jackson.databind.JsonNode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * RFC 8785 canonical JSON, as used for everything the exchange signs or hashes: delegates to
 * {@link org.vigie.stix.json.CanonicalJson} and adds the SHA-256 helpers the ledger needs.
 */
public final class CanonicalJson
{
    private static final HexFormat HEX = HexFormat.of();

    private CanonicalJson() {}

    public static byte[] canonicalBytes(JsonNode node)
    {
        return org.vigie.stix.json.CanonicalJson.canonicalBytes(node);
    }

    public static String canonicalString(JsonNode node)
    {
        return org.vigie.stix.json.CanonicalJson.canonicalize(node);
    }

    /** Lower-case hex SHA-256 of the canonical bytes. */
    public static String sha256Hex(JsonNode node)
    {
        return HEX.formatHex(sha256(canonicalBytes(node)));
    }

    public static byte[] sha256(byte[] bytes)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (NoSuchAlgorithmException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "SHA-256 is not available in this JVM", e);
        }
    }
}
