package org.vigie.exchange.audit;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.junit.jupiter.api.Test;
import org.vigie.exchange.envelope.Envelope;
import org.vigie.exchange.envelope.EnvelopeSigner;
import org.vigie.exchange.envelope.EnvelopeVerifier;
import org.vigie.exchange.envelope.SequenceTracker;
import org.vigie.exchange.envelope.VerificationResult;
import org.vigie.exchange.envelope.WithheldReferenceNotice;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.exchange.policy.ReleasePlanner;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.testing.SteppingClock;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** One release from node A to node B: plan, envelope, signature, verification, and both ledgers. */
class ExchangeFlowTest
{
    private static final Instant START = Instant.parse("2026-04-01T09:00:00Z");

    @Test
    void releaseTravelsSignedAndBothSidesCanAnswerWhatWasExchanged()
    {
        OctetKeyPair keyA = TestPartners.newKey("node-a");
        OctetKeyPair keyB = TestPartners.newKey("node-b");
        Partner nodeA = TestPartners.partner("node-a", keyA);
        Partner nodeB = TestPartners.partner("node-b", keyB);
        PartnerRegistry registryOfA = PartnerRegistry.inMemory();
        registryOfA.putPartner(nodeB);
        PartnerRegistry registryOfB = PartnerRegistry.inMemory();
        registryOfB.putPartner(nodeA);
        SteppingClock clock = new SteppingClock(START, Duration.ofSeconds(1));
        AuditLedger ledgerOfA = AuditLedger.create(LedgerStorage.inMemory(), clock);
        AuditLedger ledgerOfB = AuditLedger.create(LedgerStorage.inMemory(), clock);

        ReleasePolicy policy = ReleasePolicy.fromJson("{\"name\":\"a\",\"rules\":[{\"name\":\"b gets amber\",\"effect\":\"allow\",\"partners\":[\"node-b\"],\"max_tlp\":\"amber\"}]}");
        ledgerOfA.append(AuditRecords.policyChange("admin", policy));
        JsonNode indicator = stix("indicator", "1", Tlp.AMBER, "");
        JsonNode secret = stix("malware", "2", Tlp.RED, "");
        JsonNode report = stix("report", "3", Tlp.GREEN, ",\"object_refs\":[\"" + indicator.get("id").stringValue() + "\",\"" + secret.get("id").stringValue() + "\"]");
        ReleasePlanner planner = ReleasePlanner.create(ReleaseDecider.of(policy), registryOfA, MarkingResolver.of(List.of(), Map.of()), clock);
        ReleasePlan plan = planner.plan(List.of(ReleaseItem.of(indicator, "c"), ReleaseItem.of(secret, "c"), ReleaseItem.of(report, "c")), nodeB);

        Envelope envelope = Envelope.of("envelope--3f0c2a1b-6d5e-4f7a-8b9c-0d1e2f3a4b5c", nodeA.identityId(), nodeB.identityId(), 1, clock.instant(), plan,
                "bundle--3f0c2a1b-6d5e-4f7a-8b9c-0d1e2f3a4b5d");
        String signed = EnvelopeSigner.ed25519(keyA, nodeA.identityId()).sign(envelope);
        ledgerOfA.append(AuditRecords.release("push", plan, Optional.of(envelope)));

        EnvelopeVerifier verifier = EnvelopeVerifier.create(registryOfB, nodeB.identityId(), SequenceTracker.inMemory());
        VerificationResult result = verifier.verify(signed, Optional.of(nodeA));
        assertThat(result.accepted()).isTrue();
        Envelope received = ((VerificationResult.Accepted) result).envelope();
        assertThat(verifier.commit(received)).isTrue();
        ledgerOfB.append(AuditRecords.receipt(received, "node-a"));
        VerificationResult replay = verifier.verify(signed, Optional.of(nodeA));
        ledgerOfB.append(AuditRecords.rejection((VerificationResult.Rejected) replay, Optional.of("node-a")));

        // B learns where a reference was cut, not what it pointed to.
        assertThat(received.withheldReferences()).containsExactly(new WithheldReferenceNotice(report.get("id").stringValue(), "object_refs"));
        assertThat(StixJson.compact(received.bundle())).doesNotContain(secret.get("id").stringValue());
        assertThat(received.handling()).containsExactly("TLP:AMBER");

        List<AuditEntry> releasesToB = ledgerOfA.query(AuditQuery.all().withPartner("node-b").withKinds(Set.of(AuditKind.RELEASE)));
        assertThat(releasesToB).hasSize(1);
        assertThat(releasesToB.get(0).objectIds()).containsExactly(indicator.get("id").stringValue(), report.get("id").stringValue());
        assertThat(releasesToB.get(0).handling()).containsExactly("TLP:AMBER");
        assertThat(releasesToB.get(0).envelopeId()).contains(envelope.id());
        assertThat(releasesToB.get(0).detail()).contains(secret.get("id").stringValue());
        assertThat(ledgerOfB.query(AuditQuery.all().withKinds(Set.of(AuditKind.REJECTION))).get(0).detail()).startsWith("REPLAYED");
        assertThat(ledgerOfA.verify().valid()).isTrue();
        assertThat(ledgerOfB.verify().valid()).isTrue();
    }

    private static JsonNode stix(String type, String suffix, Tlp tlp, String extra)
    {
        return StixJson.parse("{\"type\":\"" + type + "\",\"spec_version\":\"2.1\",\"id\":\"" + type + "--00000000-0000-4000-8000-00000000000" + suffix
                + "\",\"object_marking_refs\":[\"" + tlp.markingId() + "\"]" + extra + "}");
    }
}
