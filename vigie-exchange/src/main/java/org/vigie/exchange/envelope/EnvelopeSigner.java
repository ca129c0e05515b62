package org.vigie.exchange.envelope;

import com.nimbusds.jose.jwk.OctetKeyPair;

/**
 * Signs envelopes with this node's Ed25519 key: a compact JWS (RFC 7515, {@code alg} EdDSA per
 * RFC 8037) whose payload is the RFC 8785 canonical JSON of {@link Envelope#toJson()}. Attached
 * rather than detached, so an envelope is one self-contained string that can be stored, queued and
 * re-verified as is; the cost is base64url of the payload.
 */
public interface EnvelopeSigner
{
    /** Media type ({@code typ} header) of signed envelopes. */
    String JWS_TYPE = "vigie-envelope+jws";

    /** The compact serialisation. Fails if the envelope's sender is not this signer's identity. */
    String sign(Envelope envelope);

    String senderIdentityId();

    static EnvelopeSigner ed25519(OctetKeyPair privateKey, String senderIdentityId)
    {
        return new Ed25519EnvelopeSigner(privateKey, senderIdentityId);
    }
}
