package org.vigie.stix;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.CanonicalJson;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Deterministic identifiers of STIX Cyber-observable Objects (STIX 2.1 section 2.9): a UUIDv5 in the
 * namespace {@value #NAMESPACE} over the canonical JSON (RFC 8785) of the type's ID-contributing
 * properties that are present.
 */
public final class ScoIdentifiers
{
    public static final String NAMESPACE = "00abedb4-aa42-466c-9c01-fed23315a9b7";
    private static final byte[] NAMESPACE_BYTES = uuidBytes(UUID.fromString(NAMESPACE));
    // Order of preference when a hashes dictionary contributes: one hash only, the first of these present.
    private static final List<String> HASH_PREFERENCE = List.of("MD5", "SHA-1", "SHA-256", "SHA-512");

    // STIX 2.1 section 6: the ID Contributing Properties of each SCO type (process has none).
    private static final Map<String, List<String>> CONTRIBUTING = Map.ofEntries(
            Map.entry("artifact", List.of("hashes", "payload_bin")),
            Map.entry("autonomous-system", List.of("number")),
            Map.entry("directory", List.of("path")),
            Map.entry("domain-name", List.of("value")),
            Map.entry("email-addr", List.of("value")),
            Map.entry("email-message", List.of("from_ref", "subject", "body")),
            Map.entry("file", List.of("hashes", "name", "extensions", "parent_directory_ref")),
            Map.entry("ipv4-addr", List.of("value")),
            Map.entry("ipv6-addr", List.of("value")),
            Map.entry("mac-addr", List.of("value")),
            Map.entry("mutex", List.of("name")),
            Map.entry("network-traffic", List.of("start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions")),
            Map.entry("process", List.of()),
            Map.entry("software", List.of("name", "cpe", "swid", "vendor", "version")),
            Map.entry("url", List.of("value")),
            Map.entry("user-account", List.of("account_type", "user_id", "account_login")),
            Map.entry("windows-registry-key", List.of("key", "values")),
            Map.entry("x509-certificate", List.of("hashes", "serial_number")));

    private ScoIdentifiers() {}

    /** The ID-contributing property names of an SCO type; empty for process and for types STIX does not define. */
    public static List<String> contributingProperties(String type)
    {
        return CONTRIBUTING.getOrDefault(type, List.of());
    }

    /**
     * The deterministic id of an SCO, {@code type--uuidv5}; empty when its type is not a STIX SCO type
     * or none of the type's contributing properties is present (the specification then says UUIDv4).
     */
    public static Optional<String> deterministicId(JsonNode sco)
    {
        if (sco == null || !sco.isObject()) {
            return Optional.empty();
        }
        JsonNode type = sco.get("type");
        if (type == null || !type.isString()) {
            return Optional.empty();
        }
        List<String> properties = CONTRIBUTING.get(type.stringValue());
        if (properties == null || properties.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode contributing = StixJson.mapper().createObjectNode();
        for (String property : properties) {
            JsonNode value = sco.get(property);
            if (value == null) {
                continue;
            }
            if (property.equals("hashes")) {
                Optional<ObjectNode> hash = chooseOneHash(value);
                if (hash.isEmpty()) {
                    continue;
                }
                contributing.set(property, hash.get());
            }
            else {
                contributing.set(property, value);
            }
        }
        if (contributing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(type.stringValue() + "--" + uuidVersion5(CanonicalJson.canonicalBytes(contributing)));
    }

    /** The UUIDv5 of a name in the SCO namespace. */
    public static UUID uuidVersion5(byte[] name)
    {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (NoSuchAlgorithmException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "SHA-1 is not available in this Java runtime", e);
        }
        sha1.update(NAMESPACE_BYTES);
        byte[] hash = sha1.digest(name);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** The UUIDv5 of a text name (UTF-8) in the SCO namespace. */
    public static UUID uuidVersion5(String name)
    {
        return uuidVersion5(name.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<ObjectNode> chooseOneHash(JsonNode hashes)
    {
        if (!hashes.isObject() || hashes.isEmpty()) {
            return Optional.empty();
        }
        String chosen = null;
        for (String algorithm : HASH_PREFERENCE) {
            if (hashes.has(algorithm)) {
                chosen = algorithm;
                break;
            }
        }
        if (chosen == null) {
            chosen = hashes.propertyNames().iterator().next();
        }
        ObjectNode hash = StixJson.mapper().createObjectNode();
        hash.set(chosen, hashes.get(chosen));
        return Optional.of(hash);
    }

    private static byte[] uuidBytes(UUID uuid)
    {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }
}
