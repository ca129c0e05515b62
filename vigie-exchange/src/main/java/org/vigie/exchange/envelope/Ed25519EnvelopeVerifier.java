package org.vigie.exchange.envelope;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import org.vigie.error.VigieException;
import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

final class Ed25519EnvelopeVerifier
        implements EnvelopeVerifier
{
    private final PartnerRegistry registry;
    private final String localIdentityId;
    private final SequenceTracker sequences;

    Ed25519EnvelopeVerifier(PartnerRegistry registry, String localIdentityId, SequenceTracker sequences)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.localIdentityId = requireNonNull(localIdentityId, "localIdentityId is null");
        this.sequences = requireNonNull(sequences, "sequences is null");
    }

    @Override
    public VerificationResult verify(String compactJws)
    {
        return verify(compactJws, Optional.empty());
    }

    @Override
    public VerificationResult verify(String compactJws, Optional<Partner> transportPeer)
    {
        VerificationResult content = verifyContent(compactJws, transportPeer);
        return content instanceof VerificationResult.Accepted accepted ? checkSequence(accepted.envelope()) : content;
    }

    @Override
    public VerificationResult verifyContent(String compactJws, Optional<Partner> transportPeer)
    {
        JWSObject jws;
        try {
            jws = JWSObject.parse(requireNonNull(compactJws, "compactJws is null"));
        }
        catch (ParseException e) {
            return reject(RejectionReason.MALFORMED, "not a compact JWS: " + e.getMessage(), null);
        }
        JWSAlgorithm algorithm = jws.getHeader().getAlgorithm();
        if (!JWSAlgorithm.EdDSA.equals(algorithm) && !JWSAlgorithm.Ed25519.equals(algorithm)) {
            return reject(RejectionReason.UNSUPPORTED_ALGORITHM, "JWS algorithm " + algorithm + " is not EdDSA", null);
        }
        byte[] payload;
        try {
            payload = CompactJws.payload(jws);
        }
        catch (ParseException e) {
            return reject(RejectionReason.MALFORMED, "not a compact JWS: " + e.getMessage(), null);
        }
        Envelope envelope;
        JsonNode tree;
        try {
            tree = StixJson.parse(new String(payload, StandardCharsets.UTF_8));
            envelope = Envelope.fromJson(tree);
        }
        catch (VigieException e) {
            return reject(RejectionReason.MALFORMED, e.getMessage(), null);
        }
        Optional<Partner> sender = registry.partnerByIdentity(envelope.sender());
        if (sender.isEmpty()) {
            return reject(RejectionReason.UNKNOWN_SENDER, "sender " + envelope.sender() + " is not a registered partner", envelope);
        }
        if (transportPeer.isPresent() && !transportPeer.get().id().equals(sender.get().id())) {
            return reject(RejectionReason.SENDER_MISMATCH,
                    "envelope names sender partner " + sender.get().id() + " but arrived from partner " + transportPeer.get().id(), envelope);
        }
        boolean valid;
        try {
            valid = jws.verify(new Ed25519Verifier(sender.get().signingKey()));
        }
        catch (JOSEException e) {
            valid = false;
        }
        if (!valid) {
            return reject(RejectionReason.BAD_SIGNATURE, "signature does not verify against the pinned key of partner " + sender.get().id(), envelope);
        }
        if (!Arrays.equals(payload, CanonicalJson.canonicalBytes(tree))) {
            return reject(RejectionReason.MALFORMED, "payload is not RFC 8785 canonical JSON", envelope);
        }
        if (!envelope.recipient().equals(localIdentityId)) {
            return reject(RejectionReason.WRONG_RECIPIENT, "addressed to " + envelope.recipient() + ", this node is " + localIdentityId, envelope);
        }
        return new VerificationResult.Accepted(envelope);
    }

    @Override
    public VerificationResult checkSequence(Envelope envelope)
    {
        String sender = registry.partnerByIdentity(envelope.sender()).map(Partner::id).orElse(envelope.sender());
        long last = sequences.lastAccepted(envelope.sender(), envelope.recipient());
        if (envelope.sequence() <= last) {
            return new VerificationResult.Rejected(RejectionReason.REPLAYED,
                    "sequence " + envelope.sequence() + " from partner " + sender + " was already accepted (last accepted " + last + ")",
                    Optional.of(envelope.id()), Optional.of(envelope.sender()), OptionalLong.of(last + 1));
        }
        if (envelope.sequence() > last + 1) {
            return new VerificationResult.Rejected(RejectionReason.OUT_OF_ORDER,
                    "sequence " + envelope.sequence() + " from partner " + sender + " skips ahead; expected " + (last + 1),
                    Optional.of(envelope.id()), Optional.of(envelope.sender()), OptionalLong.of(last + 1));
        }
        return new VerificationResult.Accepted(envelope);
    }

    @Override
    public boolean commit(Envelope envelope)
    {
        return sequences.advance(envelope.sender(), envelope.recipient(), envelope.sequence());
    }

    private static VerificationResult reject(RejectionReason reason, String detail, Envelope envelope)
    {
        return new VerificationResult.Rejected(reason, detail,
                Optional.ofNullable(envelope).map(Envelope::id),
                Optional.ofNullable(envelope).map(Envelope::sender),
                OptionalLong.empty());
    }
}
