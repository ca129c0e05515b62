package org.vigie.exchange.envelope;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.canonical.CanonicalJson;

import static java.util.Objects.requireNonNull;

final class Ed25519EnvelopeSigner
        implements EnvelopeSigner
{
    private final Ed25519Signer signer;
    private final JWSHeader header;
    private final String senderIdentityId;

    Ed25519EnvelopeSigner(OctetKeyPair privateKey, String senderIdentityId)
    {
        requireNonNull(privateKey, "privateKey is null");
        this.senderIdentityId = requireNonNull(senderIdentityId, "senderIdentityId is null");
        if (!Curve.Ed25519.equals(privateKey.getCurve()) || !privateKey.isPrivate()) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "envelope signing key must be a private Ed25519 key");
        }
        try {
            this.signer = new Ed25519Signer(privateKey);
        }
        catch (JOSEException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "cannot use the envelope signing key: " + e.getMessage(), e);
        }
        JWSHeader.Builder builder = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType(JWS_TYPE));
        if (privateKey.getKeyID() != null) {
            builder.keyID(privateKey.getKeyID());
        }
        this.header = builder.build();
    }

    @Override
    public String senderIdentityId()
    {
        return senderIdentityId;
    }

    @Override
    public String sign(Envelope envelope)
    {
        if (!envelope.sender().equals(senderIdentityId)) {
            throw new VigieException(ErrorCode.INVALID_ENVELOPE, "envelope " + envelope.id() + " names sender " + envelope.sender() + " but this node signs as " + senderIdentityId);
        }
        try {
            return CompactJws.sign(signer, header, CanonicalJson.canonicalBytes(envelope.toJson()));
        }
        catch (JOSEException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "cannot sign envelope " + envelope.id() + ": " + e.getMessage(), e);
        }
    }
}
