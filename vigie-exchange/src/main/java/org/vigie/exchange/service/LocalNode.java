package org.vigie.exchange.service;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import static java.util.Objects.requireNonNull;

/**
 * This node as partners see it: the STIX identity of its organisation (sender of its envelopes,
 * recipient of theirs) and its private Ed25519 signing key.
 */
public record LocalNode(String identityId, OctetKeyPair signingKey)
{
    public LocalNode
    {
        requireNonNull(identityId, "identityId is null");
        requireNonNull(signingKey, "signingKey is null");
        if (!identityId.startsWith("identity--")) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "local node identity '" + identityId + "' is not a STIX identity id");
        }
        if (!signingKey.isPrivate()) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "local node " + identityId + ": the signing key must include its private part");
        }
    }

    @Override
    public String toString()
    {
        return "LocalNode[identityId=" + identityId + ", key id=" + signingKey.getKeyID() + "]";
    }
}
