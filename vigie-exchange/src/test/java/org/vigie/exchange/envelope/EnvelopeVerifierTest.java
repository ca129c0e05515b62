package org.vigie.exchange.envelope;

import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeVerifierTest
{
    private static final Instant CREATED = Instant.parse("2026-03-01T10:15:30.123Z");

    private OctetKeyPair senderKey;
    private Partner sender;
    private Partner receiver;
    private Partner other;
    private EnvelopeSigner signer;
    private EnvelopeVerifier verifier;

    @BeforeEach
    void setUp()
    {
        senderKey = TestPartners.newKey("sender-key");
        sender = TestPartners.partner("sender", senderKey);
        receiver = TestPartners.partner("receiver", TestPartners.newKey("receiver-key"));
        other = TestPartners.partner("other", TestPartners.newKey("other-key"));
        // The receiving node's registry knows the sender and another partner.
        PartnerRegistry registry = PartnerRegistry.inMemory();
        registry.putPartner(sender);
        registry.putPartner(other);
        signer = EnvelopeSigner.ed25519(senderKey, sender.identityId());
        verifier = EnvelopeVerifier.create(registry, receiver.identityId(), SequenceTracker.inMemory());
    }

    @Test
    void acceptsSignedEnvelopeAndReadsItBackUnchanged()
    {
        Envelope envelope = envelope(1, receiver.identityId());
        VerificationResult result = verifier.verify(signer.sign(envelope));

        assertThat(result).isInstanceOf(VerificationResult.Accepted.class);
        assertThat(((VerificationResult.Accepted) result).envelope()).isEqualTo(envelope);
        assertThat(verifier.commit(envelope)).isTrue();
    }

    @Test
    void payloadIsCanonicalJsonOfTheEnvelope()
    {
        Envelope envelope = envelope(1, receiver.identityId());
        String payload = signer.sign(envelope).split("\\.")[1];

        assertThat(new Base64URL(payload).decode()).isEqualTo(CanonicalJson.canonicalBytes(envelope.toJson()));
    }

    @Test
    void rejectsTamperedPayload()
    {
        String[] parts = signer.sign(envelope(1, receiver.identityId())).split("\\.");
        ObjectNode tree = (ObjectNode) StixJson.parse(new String(new Base64URL(parts[1]).decode(), StandardCharsets.UTF_8));
        ((ObjectNode) tree.get("bundle").get("objects").get(0)).put("name", "altered");
        String tampered = parts[0] + "." + Base64URL.encode(CanonicalJson.canonicalBytes(tree)) + "." + parts[2];

        assertRejected(verifier.verify(tampered), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void rejectsTamperedSignature()
    {
        String[] parts = signer.sign(envelope(1, receiver.identityId())).split("\\.");
        byte[] signature = new Base64URL(parts[2]).decode();
        signature[0] ^= 1;

        assertRejected(verifier.verify(parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void rejectsEnvelopeSignedWithAnotherKey()
    {
        EnvelopeSigner impostor = EnvelopeSigner.ed25519(TestPartners.newKey("impostor"), sender.identityId());

        assertRejected(verifier.verify(impostor.sign(envelope(1, receiver.identityId()))), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void rejectsReplay()
    {
        Envelope envelope = envelope(1, receiver.identityId());
        String signed = signer.sign(envelope);
        assertThat(verifier.verify(signed).accepted()).isTrue();
        assertThat(verifier.commit(envelope)).isTrue();

        VerificationResult replay = verifier.verify(signed);
        assertRejected(replay, RejectionReason.REPLAYED);
        assertThat(((VerificationResult.Rejected) replay).expectedSequence()).hasValue(2);
        // A concurrent duplicate that verified before the first commit cannot be committed either.
        assertThat(verifier.commit(envelope)).isFalse();
    }

    @Test
    void rejectsReorderedEnvelopeAndAcceptsInOrderAfterwards()
    {
        Envelope first = envelope(1, receiver.identityId());
        Envelope second = envelope(2, receiver.identityId());
        String signedSecond = signer.sign(second);

        VerificationResult early = verifier.verify(signedSecond);
        assertRejected(early, RejectionReason.OUT_OF_ORDER);
        assertThat(((VerificationResult.Rejected) early).expectedSequence()).hasValue(1);

        assertThat(verifier.verify(signer.sign(first)).accepted()).isTrue();
        assertThat(verifier.commit(first)).isTrue();
        assertThat(verifier.verify(signedSecond).accepted()).isTrue();
    }

    @Test
    void uncommittedEnvelopeCanBeRetried()
    {
        String signed = signer.sign(envelope(1, receiver.identityId()));
        assertThat(verifier.verify(signed).accepted()).isTrue();
        // storing failed, nothing committed: the sender's retry is not a replay
        assertThat(verifier.verify(signed).accepted()).isTrue();
    }

    @Test
    void rejectsEnvelopeForAnotherRecipient()
    {
        assertRejected(verifier.verify(signer.sign(envelope(1, other.identityId()))), RejectionReason.WRONG_RECIPIENT);
    }

    @Test
    void rejectsUnknownSender()
    {
        OctetKeyPair strangerKey = TestPartners.newKey("stranger");
        Partner stranger = TestPartners.partner("stranger", strangerKey);
        Envelope envelope = new Envelope("envelope--5b0d6a1e-3a39-4a57-9d6f-2b5c7d2f7e10", stranger.identityId(), receiver.identityId(), 1, CREATED,
                List.of(), List.of(), bundle());

        assertRejected(verifier.verify(EnvelopeSigner.ed25519(strangerKey, stranger.identityId()).sign(envelope)), RejectionReason.UNKNOWN_SENDER);
    }

    @Test
    void rejectsSenderOtherThanTransportPeer()
    {
        String signed = signer.sign(envelope(1, receiver.identityId()));

        assertRejected(verifier.verify(signed, Optional.of(other)), RejectionReason.SENDER_MISMATCH);
        assertThat(verifier.verify(signed, Optional.of(sender)).accepted()).isTrue();
    }

    @Test
    void rejectsOtherAlgorithmsAndGarbage()
    {
        String[] parts = signer.sign(envelope(1, receiver.identityId())).split("\\.");
        String noneHeader = Base64URL.encode("{\"alg\":\"none\"}").toString();
        String hmacHeader = Base64URL.encode("{\"alg\":\"HS256\"}").toString();

        assertRejected(verifier.verify(noneHeader + "." + parts[1] + "."), RejectionReason.MALFORMED);
        assertRejected(verifier.verify(hmacHeader + "." + parts[1] + "." + parts[2]), RejectionReason.UNSUPPORTED_ALGORITHM);
        assertRejected(verifier.verify("not a jws"), RejectionReason.MALFORMED);
        assertRejected(verifier.verify(parts[0] + "." + Base64URL.encode("{\"type\":\"bundle\"}") + "." + parts[2]), RejectionReason.MALFORMED);
    }

    @Test
    void rejectsNonCanonicalPayloadEvenIfSigned()
        throws Exception
    {
        Envelope envelope = envelope(1, receiver.identityId());
        byte[] pretty = StixJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(envelope.toJson());
        com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.EdDSA), new com.nimbusds.jose.Payload(pretty));
        jws.sign(new com.nimbusds.jose.crypto.Ed25519Signer(senderKey));

        assertRejected(verifier.verify(jws.serialize()), RejectionReason.MALFORMED);
    }

    private Envelope envelope(long sequence, String recipient)
    {
        return new Envelope("envelope--0d6c1f8e-8a36-4f7e-9a59-6f0f1f0b6a" + String.format("%02d", sequence), sender.identityId(), recipient, sequence, CREATED,
                List.of("TLP:AMBER", "H2"), List.of(new WithheldReferenceNotice("report--1f0b6a2c-6f0f-4f7e-9a59-0d6c1f8e8a36", "object_refs")), bundle());
    }

    private static ObjectNode bundle()
    {
        ObjectNode bundle = JsonNodeFactory.instance.objectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--7d1c3a8e-2b7f-4e0a-9c55-3f1e2d4c5b6a");
        ObjectNode indicator = bundle.putArray("objects").addObject();
        indicator.put("type", "indicator");
        indicator.put("spec_version", "2.1");
        indicator.put("id", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
        indicator.put("name", "C2 server");
        indicator.put("confidence", 85);
        return bundle;
    }

    private static void assertRejected(VerificationResult result, RejectionReason reason)
    {
        assertThat(result).isInstanceOf(VerificationResult.Rejected.class);
        assertThat(((VerificationResult.Rejected) result).reason()).as(((VerificationResult.Rejected) result).detail()).isEqualTo(reason);
    }
}
