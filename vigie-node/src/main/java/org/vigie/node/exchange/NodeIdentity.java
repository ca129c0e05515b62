package org.vigie.node.exchange;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.service.LocalNode;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * This node's exchange identity: its STIX identity id and its private Ed25519 signing key, kept in
 * {@code <data-dir>/exchange-identity.json} with owner-only permissions, created on first use.
 */
record NodeIdentity(String identityId, OctetKeyPair signingKey)
{
    static final String FILE_NAME = "exchange-identity.json";
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    NodeIdentity
    {
        requireNonNull(identityId, "identityId is null");
        requireNonNull(signingKey, "signingKey is null");
    }

    LocalNode localNode()
    {
        return new LocalNode(identityId, signingKey);
    }

    OctetKeyPair publicKey()
    {
        return signingKey.toPublicJWK();
    }

    static Path file(Path dataDirectory)
    {
        return dataDirectory.resolve(FILE_NAME);
    }

    /** Reads the identity of this data directory, creating it (new identity id, new key) when absent. */
    static NodeIdentity loadOrCreate(Path dataDirectory)
    {
        Path file = file(dataDirectory);
        if (!Files.exists(file)) {
            create(file);
        }
        return load(file);
    }

    private static void create(Path file)
    {
        OctetKeyPair key;
        try {
            key = new OctetKeyPairGenerator(Curve.Ed25519).keyIDFromThumbprint(true).generate();
        }
        catch (JOSEException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "cannot generate the node's Ed25519 signing key for " + file + ": " + e.getMessage(), e);
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("identity_id", "identity--" + UUID.randomUUID());
        json.set("signing_key", StixJson.parse(key.toJSONString()));
        Path temporary = file.resolveSibling(FILE_NAME + ".new-" + UUID.randomUUID());
        try {
            // The file is created owner-only before the key is written, so the key is never readable by others.
            if (Files.getFileAttributeView(file.getParent(), java.nio.file.attribute.PosixFileAttributeView.class) != null) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            else {
                Files.createFile(temporary);
            }
            Files.writeString(temporary, StixJson.compact(json) + "\n", StandardCharsets.UTF_8);
            // No replace: when two processes start at once, the first identity wins and the other reads it.
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (FileAlreadyExistsException e) {
            deleteQuietly(temporary);
        }
        catch (IOException e) {
            deleteQuietly(temporary);
            throw new VigieException(ErrorCode.IO_ERROR, "cannot create the node's exchange identity file " + file + ": " + e.getMessage(), e);
        }
    }

    private static NodeIdentity load(Path file)
    {
        try {
            if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (!OWNER_ONLY.containsAll(permissions)) {
                    throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "exchange identity file " + file + " holds the node's private signing key but its permissions are "
                            + PosixFilePermissions.toString(permissions) + "; make it readable by its owner only (chmod 600 " + file + ")");
                }
            }
            JsonNode json = StixJson.parse(Files.readString(file, StandardCharsets.UTF_8));
            String identityId = json.path("identity_id").asString("");
            OctetKeyPair key = OctetKeyPair.parse(StixJson.compact(json.path("signing_key")));
            if (!identityId.startsWith("identity--") || !Curve.Ed25519.equals(key.getCurve()) || !key.isPrivate()) {
                throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "exchange identity file " + file
                        + " must hold an identity_id starting with identity-- and a private Ed25519 signing_key JWK");
            }
            return new NodeIdentity(identityId, key);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read the node's exchange identity file " + file + ": " + e.getMessage(), e);
        }
        catch (ParseException | VigieException e) {
            if (e instanceof VigieException vigieException && vigieException.errorCode() == ErrorCode.INVALID_CONFIGURATION) {
                throw vigieException;
            }
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "exchange identity file " + file + " is not readable JSON with a signing_key JWK: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path path)
    {
        try {
            Files.deleteIfExists(path);
        }
        catch (IOException e) {
            // The temporary file is harmless (owner-only); the original failure is what matters.
        }
    }
}
