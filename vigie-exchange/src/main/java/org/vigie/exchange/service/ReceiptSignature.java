package org.vigie.exchange.service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.exchange.envelope.CompactJws;
import org.vigie.exchange.partner.Partner;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Receipts signed like envelopes: a compact JWS ({@code alg} EdDSA, {@code typ}
 * {@value #JWS_TYPE}) over the RFC 8785 canonical JSON of {@link Receipt#toJson()}, made with the
 * receiving node's key and checked by the sending node against that partner's pinned key. Signed so
 * that a receipt proves the partner stored an envelope, even to someone who was not on the TLS
 * connection, and so that nothing between the nodes can mark an envelope stored.
 */
final class ReceiptSignature
{
    static final String JWS_TYPE = "vigie-receipt+jws";

    private final LocalNode local;
    private final Ed25519Signer signer;
    private final JWSHeader header;

    ReceiptSignature(LocalNode local)
    {
        this.local = requireNonNull(local, "local is null");
        try {
            this.signer = new Ed25519Signer(local.signingKey());
        }
        catch (JOSEException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "cannot sign receipts with the key of " + local.identityId() + ": " + e.getMessage(), e);
        }
        JWSHeader.Builder builder = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType(JWS_TYPE));
        if (local.signingKey().getKeyID() != null) {
            builder.keyID(local.signingKey().getKeyID());
        }
        this.header = builder.build();
    }

    /** The compact JWS of a receipt this node gives. */
    String sign(Receipt receipt)
    {
        if (!receipt.sender().equals(local.identityId())) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "receipt for " + receipt.envelopeId().orElse("an unreadable envelope") + " names sender " + receipt.sender()
                    + " but this node signs as " + local.identityId());
        }
        try {
            return CompactJws.sign(signer, header, CanonicalJson.canonicalBytes(receipt.toJson()));
        }
        catch (JOSEException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "cannot sign the receipt for " + receipt.envelopeId().orElse("an unreadable envelope") + ": " + e.getMessage(), e);
        }
    }

    /**
     * The receipt a partner answered, if it is signed with that partner's pinned key, canonical,
     * issued by that partner and addressed to this node; otherwise {@code INVALID_ENVELOPE} saying
     * which check failed. Which envelope it acknowledges is the caller's check.
     */
    Receipt verify(String compactJws, Partner partner)
    {
        JWSObject jws;
        try {
            jws = JWSObject.parse(compactJws);
        }
        catch (ParseException e) {
            throw invalid(partner, "not a compact JWS: " + e.getMessage());
        }
        JWSAlgorithm algorithm = jws.getHeader().getAlgorithm();
        if (!JWSAlgorithm.EdDSA.equals(algorithm) && !JWSAlgorithm.Ed25519.equals(algorithm)) {
            throw invalid(partner, "algorithm " + algorithm + " is not EdDSA");
        }
        if (jws.getHeader().getType() == null || !JWS_TYPE.equals(jws.getHeader().getType().getType())) {
            throw invalid(partner, "JWS type is " + jws.getHeader().getType() + ", not " + JWS_TYPE);
        }
        boolean valid;
        try {
            valid = jws.verify(new Ed25519Verifier(partner.signingKey()));
        }
        catch (JOSEException e) {
            valid = false;
        }
        if (!valid) {
            throw invalid(partner, "signature does not verify against the pinned key of partner " + partner.id() + " (forged or altered)");
        }
        byte[] payload;
        try {
            payload = CompactJws.payload(jws);
        }
        catch (ParseException e) {
            throw invalid(partner, "not a compact JWS: " + e.getMessage());
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        JsonNode tree;
        try {
            tree = StixJson.parse(text);
        }
        catch (VigieException e) {
            throw invalid(partner, "payload is not JSON: " + e.getMessage());
        }
        if (!Arrays.equals(payload, CanonicalJson.canonicalBytes(tree))) {
            throw invalid(partner, "payload is not RFC 8785 canonical JSON");
        }
        Receipt receipt = Receipt.fromJson(tree, text);
        if (!receipt.sender().equals(partner.identityId())) {
            throw invalid(partner, "issued by " + (receipt.sender().isEmpty() ? "nobody" : receipt.sender()) + ", not by the partner's identity " + partner.identityId());
        }
        if (!receipt.recipient().equals(local.identityId())) {
            throw invalid(partner, "addressed to " + (receipt.recipient().isEmpty() ? "nobody" : receipt.recipient()) + ", not to this node " + local.identityId());
        }
        return receipt;
    }

    /** The payload of a compact JWS, unchecked: for receipts verified when they arrived. */
    static String payload(String compactJws)
    {
        try {
            return new String(CompactJws.payload(JWSObject.parse(compactJws)), StandardCharsets.UTF_8);
        }
        catch (ParseException e) {
            throw new VigieException(ErrorCode.INVALID_ENVELOPE, "stored receipt is not a compact JWS: " + e.getMessage(), e);
        }
    }

    private static VigieException invalid(Partner partner, String why)
    {
        return new VigieException(ErrorCode.INVALID_ENVELOPE, "receipt from partner " + partner.id() + " rejected: " + why);
    }
}
