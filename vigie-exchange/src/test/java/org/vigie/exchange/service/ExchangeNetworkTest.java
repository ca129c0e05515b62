package org.vigie.exchange.service;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.envelope.Envelope;
import org.vigie.exchange.envelope.EnvelopeSigner;
import org.vigie.exchange.envelope.RejectionReason;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.exchange.policy.DecisionReason;
import org.vigie.exchange.policy.ReleaseDecision;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.testing.ExchangeTestNode;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.stix.StixObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.exchange.testing.TestObjects.idOf;

/**
 * Three nodes in one JVM, each with its own SQLite files and a real TAXII server on 127.0.0.1 with
 * mutual TLS (certificates made by keytool); delivery is driven by explicit {@code deliverDue()} calls
 * and a fake clock, never by sleeping.
 */
class ExchangeNetworkTest
{
    private static final String PERMISSIVE_FOR_C = "{\"name\":\"b\",\"rules\":[{\"name\":\"c gets up to red\",\"effect\":\"allow\",\"partners\":[\"c\"],\"max_tlp\":\"red\"},"
            + "{\"name\":\"a gets sightings\",\"effect\":\"allow\",\"partners\":[\"a\"],\"types\":[\"sighting\",\"indicator\"],\"max_tlp\":\"amber\"}]}";

    @TempDir
    static Path certificateDirectory;
    private static TestCertificates certificates;

    @TempDir
    Path directory;

    private ForumNodes nodes;
    private MutableClock clock;
    private ExchangeTestNode a;
    private ExchangeTestNode b;
    private ExchangeTestNode c;

    @BeforeAll
    static void makeCertificates()
            throws Exception
    {
        certificates = TestCertificates.create(certificateDirectory, List.of("a", "b", "c", "mallory"));
    }

    @BeforeEach
    void startNodes()
    {
        nodes = new ForumNodes(directory, certificates);
        clock = nodes.clock;
        a = nodes.a;
        b = nodes.b;
        c = nodes.c;
    }

    @AfterEach
    void stopNodes()
    {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void bilateralAndMultilateralReleasesArriveOnlyWherePolicyAllows()
    {
        ObjectNode green = TestObjects.indicator(1, Tlp.GREEN);
        ObjectNode amber = TestObjects.indicator(2, Tlp.AMBER);
        ObjectNode forB = TestObjects.marking(VigieMarking.empty().withRecipients(List.of(b.identityId())));
        ObjectNode redForB = TestObjects.indicator(3, Tlp.RED, idOf(forB));
        ObjectNode redForNobody = TestObjects.indicator(4, Tlp.RED);
        List<ReleaseItem> items = List.of(item(green), item(amber), item(forB), item(redForB), item(redForNobody));

        ReleaseResult result = a.service().release(items, ReleaseTargets.groups("forum"), "analyst");

        assertThat(result.partners()).extracting(PartnerRelease::partnerId).containsExactly("b", "c");
        assertThat(result.partner("b").orElseThrow().releasedObjectIds()).containsExactly(idOf(green), idOf(amber), idOf(redForB));
        assertThat(result.partner("c").orElseThrow().releasedObjectIds()).containsExactly(idOf(green));
        assertThat(reason(result, "b", idOf(redForNobody))).isEqualTo(DecisionReason.RED_WITHOUT_NAMED_RECIPIENTS);
        assertThat(reason(result, "c", idOf(redForB))).isEqualTo(DecisionReason.NOT_A_NAMED_RECIPIENT);
        assertThat(reason(result, "c", idOf(amber))).isEqualTo(DecisionReason.NO_RULE_ALLOWS);
        assertThat(result.partner("c").orElseThrow().decisions()).allSatisfy(decision -> assertThat(decision.explanation()).isNotBlank());

        DeliveryReport report = a.service().deliverDue();

        assertThat(report.attempted()).isEqualTo(2);
        assertThat(report.stored()).isEqualTo(2);
        assertThat(b.inboundIds()).containsExactlyInAnyOrder(idOf(green), idOf(amber), idOf(redForB));
        assertThat(b.store().findObjects(ExchangeConfig.DEFAULT_INBOX_COLLECTION, org.vigie.store.ObjectQuery.all(1).withIds(List.of(idOf(forB)))).objects()).hasSize(1);
        assertThat(c.inboundIds()).containsExactly(idOf(green));
        assertThat(a.service().outbox("b")).singleElement().satisfies(entry -> {
            assertThat(entry.state()).isEqualTo(OutboxState.STORED);
            assertThat(entry.receipt().orElseThrow().storedObjectIds()).contains(idOf(redForB));
        });
        ReceivedObject provenance = b.service().provenance(idOf(amber)).get(0);
        assertThat(provenance.partnerId()).isEqualTo("a");
        assertThat(provenance.handling()).contains("TLP:RED");
        assertThat(provenance.markingIds()).containsExactly(Tlp.AMBER.markingId());
        assertThat(b.service().markingResolver().originPartner(idOf(amber))).contains("a");
        // Both ledgers can say what went where.
        assertThat(a.ledger().query(AuditQuery.all().withPartner("c").withKinds(Set.of(AuditKind.RELEASE)))).singleElement()
                .satisfies(entry -> assertThat(entry.objectIds()).containsExactly(idOf(green)));
        assertThat(c.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT)))).singleElement()
                .satisfies(entry -> assertThat(entry.partnerId()).contains("a"));
        assertThat(a.ledger().verify().valid()).isTrue();
        assertThat(b.ledger().verify().valid()).isTrue();
    }

    @Test
    void previewTellsWhatAPartnerWouldReceiveWithoutQueueing()
    {
        ObjectNode green = TestObjects.indicator(1, Tlp.GREEN);
        ObjectNode amber = TestObjects.indicator(2, Tlp.AMBER);

        var plan = a.service().preview("c", List.of(item(green), item(amber)));

        assertThat(plan.releasedObjectIds()).containsExactly(idOf(green));
        assertThat(plan.withheld()).extracting(ReleaseDecision::reason).containsExactly(DecisionReason.NO_RULE_ALLOWS);
        assertThat(a.service().outbox("c")).isEmpty();
        assertThat(a.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RELEASE)))).isEmpty();
    }

    @Test
    void objectsReceivedUnderAmberStrictOrH2AreNotForwardedToAThirdParty()
    {
        ObjectNode h2 = TestObjects.marking(VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty()));
        ObjectNode strict = TestObjects.indicator(1, Tlp.AMBER_STRICT);
        ObjectNode greenH2 = TestObjects.indicator(2, Tlp.GREEN, idOf(h2));
        ObjectNode green = TestObjects.indicator(3, Tlp.GREEN);
        a.service().release(List.of(item(strict), item(h2), item(greenH2), item(green)), ReleaseTargets.partners("b"), "analyst");
        a.service().deliverDue();
        assertThat(b.inboundIds()).contains(idOf(strict), idOf(greenH2), idOf(green));

        b.policy(PERMISSIVE_FOR_C);
        ReleaseResult forward = b.service().releaseCollection(ExchangeConfig.DEFAULT_INBOX_COLLECTION, ReleaseTargets.partners("c"), "analyst-b");
        b.service().deliverDue();

        assertThat(reason(forward, "c", idOf(strict))).isEqualTo(DecisionReason.RECEIVED_NOT_FOR_THIRD_PARTY);
        assertThat(reason(forward, "c", idOf(greenH2))).isEqualTo(DecisionReason.RECEIVED_NOT_FOR_THIRD_PARTY);
        assertThat(c.inboundIds()).containsExactly(idOf(green));
        assertThat(c.service().provenance(idOf(green))).extracting(ReceivedObject::partnerId).containsExactly("b");
    }

    @Test
    void partnerThatWasDownReceivesEverythingInOrderExactlyOnce()
    {
        b.stopServer();
        List<String> released = List.of(idOf(TestObjects.indicator(1, Tlp.GREEN)), idOf(TestObjects.indicator(2, Tlp.GREEN)), idOf(TestObjects.indicator(3, Tlp.GREEN)));
        for (int number = 1; number <= 3; number++) {
            a.service().release(List.of(item(TestObjects.indicator(number, Tlp.GREEN))), ReleaseTargets.partners("b"), "analyst");
        }

        DeliveryReport whileDown = a.service().deliverDue();
        assertThat(whileDown.attempted()).isEqualTo(1);
        assertThat(whileDown.failed()).isEqualTo(1);
        assertThat(whileDown.waitingPartnerIds()).containsExactly("b");
        List<OutboxEntry> outbox = a.service().outbox("b");
        assertThat(outbox).extracting(OutboxEntry::sequence).containsExactly(1L, 2L, 3L);
        assertThat(outbox).extracting(OutboxEntry::state).containsOnly(OutboxState.PENDING);
        assertThat(outbox.get(0).attempts()).isEqualTo(1);
        assertThat(outbox.get(0).lastError().orElseThrow()).contains("cannot reach partner b");
        // The retry waits for its backoff: nothing is attempted before it is due.
        assertThat(a.service().deliverDue().attempted()).isZero();

        // Both sides restart on their files; the outbox survives, the partner comes back.
        a.restart();
        b.restartServer();
        clock.advance(Duration.ofSeconds(2));
        DeliveryReport afterRestart = a.service().deliverDue();

        assertThat(afterRestart.stored()).isEqualTo(3);
        assertThat(a.service().outbox("b")).extracting(OutboxEntry::state).containsOnly(OutboxState.STORED);
        List<AuditEntry> receipts = b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT)));
        assertThat(receipts).extracting(entry -> entry.objectIds().get(0)).containsExactlyElementsOf(released);
        assertThat(receipts).extracting(AuditEntry::detail).allSatisfy(detail -> assertThat(detail).startsWith("sequence "));
        assertThat(receipts.get(2).detail()).startsWith("sequence 3");
        assertThat(b.inboundIds()).containsExactlyElementsOf(released);
        assertThat(a.service().deliverDue().attempted()).isZero();
    }

    @Test
    void aReceiverFailingBetweenStoringAndCommittingGetsTheRetryAndKeepsOneCopy()
    {
        ObjectNode indicator = TestObjects.indicator(1, Tlp.GREEN);
        a.service().release(List.of(item(indicator)), ReleaseTargets.partners("b"), "analyst");
        b.failNextReceipt();

        DeliveryReport failed = a.service().deliverDue();

        assertThat(failed.failed()).isEqualTo(1);
        assertThat(a.service().outbox("b")).singleElement().satisfies(entry -> {
            assertThat(entry.state()).isEqualTo(OutboxState.DELIVERED);
            assertThat(entry.lastError().orElseThrow()).contains("HTTP 500");
        });
        // The object reached the store with its provenance (committed before it), but the rest was not committed: no receipt, sequence unchanged.
        assertThat(b.inboundIds()).containsExactly(idOf(indicator));
        assertThat(b.service().provenance(idOf(indicator))).extracting(ReceivedObject::partnerId).containsExactly("a");
        assertThat(b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT)))).isEmpty();

        clock.advance(Duration.ofSeconds(2));
        DeliveryReport retried = a.service().deliverDue();

        assertThat(retried.stored()).isEqualTo(1);
        assertThat(b.store().findObjects(ExchangeConfig.DEFAULT_INBOX_COLLECTION, org.vigie.store.ObjectQuery.all(10).withIds(List.of(idOf(indicator)))
                .withVersions(org.vigie.store.VersionFilter.ALL)).objects()).hasSize(1);
        assertThat(b.service().provenance(idOf(indicator))).extracting(ReceivedObject::partnerId).containsExactly("a");
        assertThat(b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT)))).hasSize(1);
        assertThat(b.ledger().verify().valid()).isTrue();
    }

    @Test
    void theSameEnvelopeTwiceGetsTheSameReceiptAndIsStoredOnce()
            throws Exception
    {
        Envelope envelope = envelope(a, b, 1, TestObjects.indicator(1, Tlp.GREEN));
        String signed = EnvelopeSigner.ed25519(a.key(), a.identityId()).sign(envelope);

        HttpResponse<String> first = post("a", b, signed);
        HttpResponse<String> second = post("a", b, signed);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(Receipt.fromSigned(first.body()).status()).isEqualTo(ReceiptStatus.STORED);
        assertThat(b.inboundIds()).containsExactly(idOf(TestObjects.indicator(1, Tlp.GREEN)));
        assertThat(b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT)))).hasSize(1);
        HttpResponse<String> receipt = get("a", b.baseUri().resolve("/exchange/v1/receipts/" + envelope.id()));
        assertThat(receipt.body()).isEqualTo(first.body());
        // Another partner may not read that receipt.
        assertThat(get("c", b.baseUri().resolve("/exchange/v1/receipts/" + envelope.id())).statusCode()).isEqualTo(404);
    }

    @Test
    void tamperedReplayedMisaddressedAndImpersonatingEnvelopesAreRejectedAndAudited()
            throws Exception
    {
        EnvelopeSigner signerOfA = EnvelopeSigner.ed25519(a.key(), a.identityId());
        assertThat(post("a", b, signerOfA.sign(envelope(a, b, 1, TestObjects.indicator(1, Tlp.GREEN)))).statusCode()).isEqualTo(200);

        String valid = signerOfA.sign(envelope(a, b, 2, TestObjects.indicator(2, Tlp.GREEN)));
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("indicator 2", "indicator X");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String replayed = signerOfA.sign(envelope(a, b, 1, TestObjects.indicator(3, Tlp.GREEN)));
        String misaddressed = signerOfA.sign(envelope(a, c, 2, TestObjects.indicator(4, Tlp.GREEN)));
        String skipping = signerOfA.sign(envelope(a, b, 5, TestObjects.indicator(5, Tlp.GREEN)));
        String signedByC = EnvelopeSigner.ed25519(c.key(), c.identityId()).sign(envelope(c, b, 1, TestObjects.indicator(6, Tlp.GREEN)));

        assertRejected(post("a", b, tampered), 403, RejectionReason.BAD_SIGNATURE);
        assertRejected(post("a", b, replayed), 409, RejectionReason.REPLAYED);
        assertRejected(post("a", b, misaddressed), 403, RejectionReason.WRONG_RECIPIENT);
        assertRejected(post("a", b, skipping), 409, RejectionReason.OUT_OF_ORDER);
        assertThat(Receipt.fromSigned(post("a", b, skipping).body()).expectedSequence()).hasValue(2);
        assertRejected(post("a", b, signedByC), 403, RejectionReason.SENDER_MISMATCH);
        assertRejected(post("a", b, "not a jws"), 400, RejectionReason.MALFORMED);
        // A certificate no partner has pinned is refused before the envelope is read.
        assertThat(post("mallory", b, valid).statusCode()).isEqualTo(401);

        assertThat(b.inboundIds()).containsExactly(idOf(TestObjects.indicator(1, Tlp.GREEN)));
        List<AuditEntry> rejections = b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.REJECTION)));
        assertThat(rejections).extracting(entry -> entry.detail().split(":")[0])
                .containsExactly("BAD_SIGNATURE", "REPLAYED", "WRONG_RECIPIENT", "OUT_OF_ORDER", "OUT_OF_ORDER", "SENDER_MISMATCH", "MALFORMED", "POST /exchange/v1/inbox");
        assertThat(rejections.get(7).detail()).contains("not pinned for any partner");
        // The valid envelope is still accepted afterwards: rejections did not move the sequence.
        assertThat(post("a", b, valid).statusCode()).isEqualTo(200);
        assertThat(b.ledger().verify().valid()).isTrue();
    }

    @Test
    void recallReachesThePartnersThatReceivedTheObjectAndTheSenderSeesWhoAcknowledged()
    {
        ObjectNode shared = TestObjects.indicator(1, Tlp.GREEN);
        ObjectNode onlyB = TestObjects.indicator(2, Tlp.AMBER);
        a.service().release(List.of(item(shared), item(onlyB)), ReleaseTargets.groups("forum"), "analyst");
        a.service().deliverDue();
        assertThat(c.inboundIds()).containsExactly(idOf(shared));
        c.stopServer();

        List<String> recalledFrom = a.service().recall(idOf(shared), "false positive", "analyst").recalledPartnerIds();
        a.service().deliverDue();

        assertThat(recalledFrom).containsExactly("b", "c");
        assertThat(a.service().recallStatus(idOf(shared))).extracting(Acknowledgement::partnerId, Acknowledgement::acknowledged)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", true), org.assertj.core.groups.Tuple.tuple("c", false));
        assertThat(b.inboundIds()).containsExactly(idOf(onlyB));
        assertThat(b.service().provenance(idOf(shared)).get(0).recalled()).isPresent();
        assertThat(b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECALL)))).singleElement()
                .satisfies(entry -> assertThat(entry.objectIds()).containsExactly(idOf(shared)));
        assertThat(a.service().recall(idOf(onlyB), "wrong", "analyst").recalledPartnerIds()).containsExactly("b");

        c.restartServer();
        clock.advance(Duration.ofMinutes(2));
        a.service().deliverDue();

        assertThat(a.service().recallStatus(idOf(shared))).allSatisfy(acknowledgement -> assertThat(acknowledgement.acknowledged()).isTrue());
        assertThat(c.inboundIds()).isEmpty();
        assertThat(a.ledger().query(AuditQuery.all().withObject(idOf(shared)).withKinds(Set.of(AuditKind.RECALL)))).hasSize(2);
        // The second recall reached b in order after the first.
        assertThat(b.inboundIds()).isEmpty();
    }

    @Test
    void narrowingMarkingsOfAReleasedObjectRecallsItFromPartnersNoLongerAllowed()
    {
        ObjectNode green = TestObjects.indicator(1, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        a.service().release(List.of(item(green)), ReleaseTargets.groups("forum"), "analyst");
        a.service().deliverDue();
        assertThat(c.inboundIds()).containsExactly(idOf(green));

        ObjectNode narrowed = TestObjects.indicator(1, "2026-04-01T11:00:00.000Z", Tlp.AMBER);
        ReleaseResult result = a.service().release(List.of(item(narrowed)), ReleaseTargets.partners("b"), "analyst");
        a.service().deliverDue();

        assertThat(result.partner("b").orElseThrow().releasedObjectIds()).containsExactly(idOf(narrowed));
        assertThat(result.partner("c").orElseThrow().recallEnvelopeId()).isPresent();
        assertThat(c.inboundIds()).isEmpty();
        assertThat(b.inbound(idOf(narrowed)).orElseThrow().object().modified()).contains(Instant.parse("2026-04-01T11:00:00Z"));
        assertThat(a.service().recallStatus(idOf(green))).singleElement().satisfies(acknowledgement -> {
            assertThat(acknowledgement.partnerId()).isEqualTo("c");
            assertThat(acknowledgement.acknowledged()).isTrue();
        });
    }

    @Test
    void partnerPullGetsExactlyWhatThePolicyAllows()
            throws Exception
    {
        a.store().createCollection(CollectionInfo.of("shared", "Shared"));
        ObjectNode green = TestObjects.indicator(1, Tlp.GREEN);
        ObjectNode amber = TestObjects.indicator(2, Tlp.AMBER);
        a.store().addObjects("shared", List.of(StixObject.fromJson(StixJson.compact(green)), StixObject.fromJson(StixJson.compact(amber))));
        clock.advance(Duration.ofSeconds(1));
        ObjectNode later = TestObjects.indicator(3, Tlp.GREEN);
        a.store().addObjects("shared", List.of(StixObject.fromJson(StixJson.compact(later))));

        HttpResponse<String> forC = get("c", a.baseUri().resolve("/exchange/v1/collections/shared/objects"));
        HttpResponse<String> forB = get("b", a.baseUri().resolve("/exchange/v1/collections/shared/objects"));
        HttpResponse<String> firstPageForC = get("c", a.baseUri().resolve("/exchange/v1/collections/shared/objects?limit=2"));
        String lastSeen = firstPageForC.headers().firstValue("X-TAXII-Date-Added-Last").orElseThrow();
        HttpResponse<String> newerForC = get("c", a.baseUri().resolve("/exchange/v1/collections/shared/objects?added_after=" + lastSeen));

        assertThat(forC.statusCode()).isEqualTo(200);
        assertThat(indicatorIds(forC)).containsExactly(idOf(green), idOf(later));
        assertThat(indicatorIds(forB)).containsExactly(idOf(green), idOf(amber), idOf(later));
        assertThat(indicatorIds(firstPageForC)).containsExactly(idOf(green));
        assertThat(StixJson.parse(firstPageForC.body()).path("more").asBoolean()).isTrue();
        assertThat(indicatorIds(newerForC)).containsExactly(idOf(later));
        assertThat(a.ledger().query(AuditQuery.all().withPartner("c").withKinds(Set.of(AuditKind.PARTNER_READ)))).hasSize(3);
        assertThat(get("mallory", a.baseUri().resolve("/exchange/v1/collections/shared/objects")).statusCode()).isEqualTo(401);
    }

    @Test
    void theReceiverRecordsWhichReferencesTheSenderWithheld()
    {
        ObjectNode green = TestObjects.indicator(1, Tlp.GREEN);
        ObjectNode redForNobody = TestObjects.indicator(2, Tlp.RED);
        ObjectNode report = report(idOf(green), idOf(redForNobody));
        ReleaseResult result = a.service().release(List.of(item(green), item(redForNobody), item(report)), ReleaseTargets.partners("b"), "analyst");
        assertThat(result.partner("b").orElseThrow().withheldReferences()).extracting(reference -> reference.objectId() + " " + reference.path())
                .containsExactly(idOf(report) + " object_refs");

        assertThat(a.service().deliverDue().stored()).isEqualTo(1);

        // The receipt entry (what `vigie audit query --kind receipt` prints) names the object and path; the target stays unnamed.
        List<AuditEntry> receipts = b.ledger().query(AuditQuery.all().withPartner("a").withKinds(Set.of(AuditKind.RECEIPT)).withObject(idOf(report)));
        assertThat(receipts).singleElement().satisfies(entry -> {
            assertThat(entry.detail()).endsWith("1 reference(s) withheld by the sender: " + idOf(report) + " object_refs");
            assertThat(entry.detail()).doesNotContain(idOf(redForNobody));
        });
        assertThat(b.inbound(idOf(report)).orElseThrow().object().tree().path("object_refs").values()).extracting(JsonNode::asString).containsExactly(idOf(green));
    }

    @Test
    void partnerPullNamesTheReferencesItWithheld()
            throws Exception
    {
        a.store().createCollection(CollectionInfo.of("shared", "Shared"));
        ObjectNode green = TestObjects.indicator(1, Tlp.GREEN);
        ObjectNode amber = TestObjects.indicator(2, Tlp.AMBER);
        ObjectNode report = report(idOf(green), idOf(amber));
        a.store().addObjects("shared", List.of(StixObject.fromJson(StixJson.compact(green)), StixObject.fromJson(StixJson.compact(amber)),
                StixObject.fromJson(StixJson.compact(report))));

        HttpResponse<String> forC = get("c", a.baseUri().resolve("/exchange/v1/collections/shared/objects"));
        HttpResponse<String> forB = get("b", a.baseUri().resolve("/exchange/v1/collections/shared/objects"));

        // C may not have the AMBER indicator: the report comes without that reference, and the header says where it was cut.
        assertThat(forC.statusCode()).isEqualTo(200);
        assertThat(forC.headers().firstValue("X-Vigie-Withheld-References")).contains(idOf(report) + " object_refs");
        assertThat(forC.body()).doesNotContain(idOf(amber));
        assertThat(forB.headers().firstValue("X-Vigie-Withheld-References")).isEmpty();
        assertThat(forB.body()).contains(idOf(amber));
    }

    private static ObjectNode report(String... objectIds)
    {
        ObjectNode report = (ObjectNode) StixJson.parse("{\"type\":\"report\",\"spec_version\":\"2.1\",\"id\":\"report--" + UUID.nameUUIDFromBytes(String.join(",", objectIds).getBytes(StandardCharsets.UTF_8))
                + "\",\"created\":\"2026-04-01T09:00:00.000Z\",\"modified\":\"2026-04-01T09:00:00.000Z\",\"name\":\"weekly\",\"published\":\"2026-04-01T09:00:00Z\","
                + "\"object_marking_refs\":[\"" + Tlp.GREEN.markingId() + "\"]}");
        var references = report.putArray("object_refs");
        for (String objectId : objectIds) {
            references.add(objectId);
        }
        return report;
    }

    @Test
    void sightingOfAReceivedIndicatorTravelsBackToItsOriginator()
    {
        ObjectNode indicator = TestObjects.indicator(1, Tlp.AMBER);
        a.service().release(List.of(item(indicator)), ReleaseTargets.partners("b"), "analyst");
        a.service().deliverDue();
        b.policy(PERMISSIVE_FOR_C);

        ObjectNode sighting = TestObjects.sighting(1, idOf(indicator));
        ReleaseResult result = b.service().sightingBack(sighting, "matcher");
        b.service().deliverDue();

        assertThat(result.partners()).extracting(PartnerRelease::partnerId).containsExactly("a");
        assertThat(a.inboundIds()).containsExactly(idOf(sighting));
        assertThat(a.service().provenance(idOf(sighting))).extracting(ReceivedObject::partnerId).containsExactly("b");
        // The originator's own indicator did not come back, so it is not recorded as received from b.
        assertThat(a.service().provenance(idOf(indicator))).isEmpty();
    }

    @Test
    void aSightingSentOnceIsNotQueuedAgainButSentByHandItIs()
    {
        ObjectNode indicator = TestObjects.indicator(2, Tlp.GREEN);
        a.service().release(List.of(item(indicator)), ReleaseTargets.partners("b"), "analyst");
        a.service().deliverDue();
        b.policy(PERMISSIVE_FOR_C);
        ObjectNode sighting = TestObjects.sighting(2, idOf(indicator));

        Optional<ReleaseResult> first = b.service().sightingBackOnce(sighting, "sightings back");
        // A follower that reads the same event again (after a crash, or on another replica) queues nothing.
        Optional<ReleaseResult> again = b.service().sightingBackOnce(sighting, "sightings back");
        b.service().deliverDue();

        assertThat(first).isPresent();
        assertThat(first.get().partner("a").orElseThrow().envelopeId()).isPresent();
        assertThat(again).isEmpty();
        assertThat(b.service().outbox("a").stream().filter(entry -> entry.objectIds().contains(idOf(sighting)))).hasSize(1);
        assertThat(a.inboundIds()).containsExactly(idOf(sighting));
        // Sent by hand, it goes again (the analyst asked), and the originator keeps one copy.
        b.service().sightingBack(sighting, "analyst");
        b.service().deliverDue();
        assertThat(b.service().outbox("a").stream().filter(entry -> entry.objectIds().contains(idOf(sighting)))).hasSize(2);
        assertThat(a.inboundIds()).containsExactly(idOf(sighting));
    }

    private static List<String> indicatorIds(HttpResponse<String> response)
    {
        return TestObjects.ids(StixJson.parse(response.body()).path("objects").values().stream()
                .filter(object -> object.path("type").asString("").equals("indicator")).toList());
    }

    private static ReleaseItem item(JsonNode object)
    {
        return ReleaseItem.of(object, "intel");
    }

    private static DecisionReason reason(ReleaseResult result, String partnerId, String objectId)
    {
        return result.partner(partnerId).orElseThrow().decisions().stream().filter(decision -> decision.objectId().equals(objectId)).findFirst().orElseThrow().reason();
    }

    private Envelope envelope(ExchangeTestNode sender, ExchangeTestNode recipient, long sequence, ObjectNode object)
    {
        ObjectNode bundle = (ObjectNode) StixJson.parse("{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":[]}");
        bundle.withArray("objects").add(object);
        return new Envelope("envelope--" + UUID.randomUUID(), sender.identityId(), recipient.identityId(), sequence, clock.instant(), List.of("TLP:GREEN"), List.of(), bundle);
    }

    private static void assertRejected(HttpResponse<String> response, int status, RejectionReason reason)
    {
        assertThat(response.statusCode()).isEqualTo(status);
        Receipt receipt = Receipt.fromSigned(response.body());
        assertThat(receipt.status()).isEqualTo(ReceiptStatus.REJECTED);
        assertThat(receipt.rejection()).contains(reason);
    }

    private HttpResponse<String> post(String clientName, ExchangeTestNode to, String body)
            throws Exception
    {
        HttpRequest request = HttpRequest.newBuilder(to.baseUri().resolve(ExchangeService.INBOX_PATH)).header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // mallory's truststore holds every node's certificate, so it can connect but is not pinned anywhere.
        return nodes.client(clientName).send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String clientName, URI uri)
            throws Exception
    {
        return nodes.get(clientName, uri);
    }
}
