package org.vigie.exchange.service;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.OctetKeyPair;
import io.javalin.http.HandlerType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.testing.NodePairTest;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.server.TaxiiServer;
import org.vigie.taxii.server.TaxiiServerConfig;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigie.exchange.testing.TestObjects.idOf;

/**
 * Receipts travel signed by the receiving node. Node a pushes to an impostor of b (b's TLS certificate,
 * so the connection is accepted, answering whatever the test says) and must refuse every receipt not
 * signed by b's pinned key, altered, addressed to another node or acknowledging another envelope:
 * each is audited and leaves the envelope's delivery state unchanged; then the real b acknowledges it.
 */
class SignedReceiptTest
        extends NodePairTest
{
    private TaxiiServer impostor;
    /** Given an envelope's id and sequence, the body the impostor answers. */
    private final AtomicReference<BiFunction<String, Long, String>> answer = new AtomicReference<>();

    // Runs before the base class closes the nodes.
    @AfterEach
    void stopImpostor()
    {
        if (impostor != null) {
            impostor.close();
        }
    }

    @Test
    void aPartnersReceiptIsSignedWithItsPinnedKeyAndAddressedToTheSender()
            throws Exception
    {
        a.service().release(List.of(item(1)), ReleaseTargets.partners("b"), "analyst");

        assertThat(a.service().deliverDue().stored()).isEqualTo(1);

        OutboxEntry entry = a.service().outbox("b").get(0);
        Receipt receipt = entry.receipt().orElseThrow();
        assertThat(receipt.sender()).isEqualTo(b.identityId());
        assertThat(receipt.recipient()).isEqualTo(a.identityId());
        // The receipt b keeps (and answers again on request) verifies against b's key, by anyone holding it.
        String signed = get(b.baseUri().resolve("/exchange/v1/receipts/" + entry.envelopeId())).body();
        Receipt verified = new ReceiptSignature(new LocalNode(a.identityId(), a.key())).verify(signed, b.asPartner());
        assertThat(verified).isEqualTo(receipt);
        assertThat(JWSObject.parse(signed).getHeader().getType().getType()).isEqualTo(ReceiptSignature.JWS_TYPE);
    }

    @Test
    void forgedTamperedMisaddressedAndMismatchedReceiptsAreRefusedAuditedAndChangeNothing()
    {
        a.service().release(List.of(item(1)), ReleaseTargets.partners("b"), "analyst");
        String envelopeId = a.service().outbox("b").get(0).envelopeId();
        impersonateB();
        ReceiptSignature realKeyOfB = new ReceiptSignature(new LocalNode(b.identityId(), b.key()));
        ReceiptSignature otherKey = new ReceiptSignature(new LocalNode(b.identityId(), TestPartners.newKey("mallory")));

        List<Forgery> forgeries = List.of(
                new Forgery("signed with another key", "signature does not verify", (id, sequence) -> otherKey.sign(stored(b.identityId(), a.identityId(), id, sequence))),
                new Forgery("'verified' altered to 'stored'", "signature does not verify", (id, sequence) -> tamper(realKeyOfB.sign(verifiedOnly(id, sequence)))),
                new Forgery("addressed to c", "addressed to " + TestPartners.identityOf("c"),
                        (id, sequence) -> realKeyOfB.sign(stored(b.identityId(), TestPartners.identityOf("c"), id, sequence))),
                new Forgery("for another envelope", "not for " + envelopeId,
                        (id, sequence) -> realKeyOfB.sign(stored(b.identityId(), a.identityId(), "envelope--00000000-0000-4000-8000-000000000000", sequence))),
                new Forgery("unsigned", "not a compact JWS", (id, sequence) -> stored(b.identityId(), a.identityId(), id, sequence).toJsonText()));

        int attempts = 0;
        for (Forgery forgery : forgeries) {
            answer.set(forgery.answer());
            clock.advance(Duration.ofMinutes(2));

            DeliveryReport report = a.service().deliverDue();

            attempts++;
            assertThat(report.stored()).isZero();
            assertThat(report.failed()).isEqualTo(1);
            OutboxEntry entry = a.service().outbox("b").get(0);
            assertThat(entry.state()).as(forgery.name()).isEqualTo(OutboxState.PENDING);
            assertThat(entry.receipt()).as(forgery.name()).isEmpty();
            assertThat(entry.attempts()).isEqualTo(attempts);
            assertThat(entry.lastError().orElseThrow()).as(forgery.name()).contains("receipt from partner b rejected").contains(forgery.expected());
        }
        List<AuditEntry> rejections = a.ledger().query(AuditQuery.all().withPartner("b").withKinds(Set.of(AuditKind.REJECTION)));
        assertThat(rejections).hasSize(forgeries.size());
        assertThat(rejections).allSatisfy(rejection -> {
            assertThat(rejection.envelopeId()).contains(envelopeId);
            assertThat(rejection.detail()).startsWith("receipt from partner b rejected");
        });
        assertThat(a.ledger().verify().valid()).isTrue();

        // The real b is back: the envelope, never marked stored by the forgeries, is delivered now.
        impostor.close();
        impostor = null;
        b.restartServer();
        a.knows(b);
        clock.advance(Duration.ofMinutes(2));

        assertThat(a.service().deliverDue().stored()).isEqualTo(1);
        assertThat(a.service().outbox("b").get(0).state()).isEqualTo(OutboxState.STORED);
        assertThat(b.inboundIds()).containsExactly(idOf(TestObjects.indicator(1, Tlp.GREEN)));
    }

    @Test
    void aReceiptThatIsNotSignedByThePartnerIsRefusedWhenVerified()
    {
        ReceiptSignature signatureOfA = new ReceiptSignature(new LocalNode(a.identityId(), a.key()));
        OctetKeyPair keyOfC = TestPartners.newKey("c");
        String signedByC = new ReceiptSignature(new LocalNode(TestPartners.identityOf("c"), keyOfC)).sign(stored(TestPartners.identityOf("c"), a.identityId(), "envelope--x", 1));

        assertThatThrownBy(() -> signatureOfA.verify(signedByC, b.asPartner())).hasMessageContaining("signature does not verify against the pinned key of partner b");
        assertThatThrownBy(() -> signatureOfA.sign(stored(b.identityId(), a.identityId(), "envelope--x", 1))).hasMessageContaining("this node signs as " + a.identityId());
        assertThatThrownBy(() -> signatureOfA.verify("a.b", b.asPartner())).hasMessageContaining("not a compact JWS");
    }

    /** Stops b's server and starts one on b's certificate that answers with {@link #answer}; a is told b moved there. */
    private void impersonateB()
    {
        b.stopServer();
        TaxiiServerConfig config = TaxiiServerConfig.fromProperties(Map.of(
                "http.port", "0",
                "http.tls.keystore", certificates.keystore("b").toString(),
                "http.tls.keystore-password", TestCertificates.PASSWORD,
                "http.tls.truststore", certificates.truststore("b").toString(),
                "http.tls.truststore-password", TestCertificates.PASSWORD,
                "http.tls.client-auth", "need"));
        impostor = TaxiiServer.start(config, ObjectStores.inMemory(clock), clock, PasswordHasher.withIterations(1_000), List.of(routes -> routes.javalin().addHttpHandler(
                HandlerType.POST, ExchangeService.INBOX_PATH, context -> {
                    JsonNode envelope = StixJson.parse(JWSObject.parse(context.body().strip()).getPayload().toString());
                    String body = answer.get().apply(envelope.path("id").asString(""), envelope.path("sequence").asLong());
                    context.status(200).contentType("application/jose").result(body);
                })));
        var moved = b.asPartner();
        a.registry().putPartner(new org.vigie.exchange.partner.Partner(moved.id(), moved.name(), moved.identityId(), URI.create("https://127.0.0.1:" + impostor.port() + "/"),
                moved.certificateSha256(), moved.signingKey()));
    }

    private static Receipt stored(String sender, String recipient, String envelopeId, long sequence)
    {
        return new Receipt(sender, recipient, Optional.of(envelopeId), OptionalLong.of(sequence), ReceiptStatus.STORED, Optional.empty(), "stored 1 object(s)",
                OptionalLong.empty(), List.of(), List.of());
    }

    private Receipt verifiedOnly(String envelopeId, long sequence)
    {
        return new Receipt(b.identityId(), a.identityId(), Optional.of(envelopeId), OptionalLong.of(sequence), ReceiptStatus.VERIFIED, Optional.empty(), "verified, storing failed",
                OptionalLong.empty(), List.of(), List.of());
    }

    /** The payload changed from "verified" to "stored", the signature kept. */
    private static String tamper(String signed)
    {
        String[] parts = signed.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"verified\"", "\"stored\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private static ReleaseItem item(int number)
    {
        return ReleaseItem.of(TestObjects.indicator(number, Tlp.GREEN), "intel");
    }

    private static HttpResponse<String> get(URI uri)
            throws Exception
    {
        HttpClient client = HttpClient.newBuilder().sslContext(certificates.clientContext("a")).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Forgery(String name, String expected, BiFunction<String, Long, String> answer) {}
}
