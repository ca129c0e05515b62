package org.vigie.exchange.service;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.DecisionReason;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseDecision;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.reads.PolicyPartnerReads;
import org.vigie.exchange.testing.ExchangeTestNode;
import org.vigie.exchange.testing.FailingReceiptLedger;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestDatabase;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.AddOutcome;
import org.vigie.store.ForwardingObjectStore;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.server.TaxiiServer;
import org.vigie.taxii.server.TaxiiServerConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.exchange.testing.TestObjects.idOf;

/**
 * The receiving path leaves no moment in which an object received from partner a looks locally made at
 * receiver b: partner c, which b's policy lets have everything b made itself, is never offered a's
 * TLP:AMBER, AMBER+STRICT or H2 objects, neither while b's inbox sits between the store write and its
 * exchange commit (a hook of b's object store runs c's TAXII read and a release planning for c right
 * after the objects are stored), nor after that commit failed and a never retried. Runs b's exchange
 * database and object store on SQLite and on PostgreSQL; subclasses say which.
 */
abstract class ReceivedObjectsWindowTest
{
    private static final String TAXII = "application/taxii+json;version=2.1";
    private static final String POLICY_OF_A = "{\"name\":\"a\",\"rules\":[{\"name\":\"b gets up to red\",\"effect\":\"allow\",\"partners\":[\"b\"],\"max_tlp\":\"red\"}]}";
    /** B releases to c everything its policy could: only the re-release rule keeps received objects from c. */
    private static final String POLICY_OF_B = "{\"name\":\"b\",\"rules\":[{\"name\":\"everything to everyone\",\"effect\":\"allow\",\"all_partners\":true}]}";

    @TempDir
    static Path certificateDirectory;
    private static TestCertificates certificates;

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T10:00:00Z"));
    private final OctetKeyPair keyOfB = TestPartners.newKey("b");
    private final AtomicBoolean failNextReceipt = new AtomicBoolean();
    /** Runs in b's inbox right after the received objects are in the store, before the exchange commit. */
    private final AtomicReference<Runnable> afterInboxStore = new AtomicReference<>(() -> { });
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ExchangeTestNode a;
    private ExchangeService b;
    private ObjectStore storeOfB;
    private TaxiiServer serverOfB;

    private final ObjectNode h2 = TestObjects.marking(VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty()));
    private final ObjectNode amber = TestObjects.indicator(1, Tlp.AMBER);
    private final ObjectNode strict = TestObjects.indicator(2, Tlp.AMBER_STRICT);
    private final ObjectNode greenH2 = TestObjects.indicator(3, Tlp.GREEN, idOf(h2));
    private final ObjectNode green = TestObjects.indicator(4, Tlp.GREEN);
    private final List<String> restricted = List.of(idOf(amber), idOf(strict), idOf(greenH2));

    /** B's exchange database. */
    protected abstract TestDatabase newDatabase(Path directory);

    /** B's object store. */
    protected abstract ObjectStore newStore(Path directory, MutableClock clock);

    @BeforeAll
    static void makeCertificates()
            throws Exception
    {
        certificates = TestCertificates.create(certificateDirectory, List.of("a", "b", "c"));
    }

    @BeforeEach
    void startNodes()
    {
        TestDatabase database = newDatabase(directory);
        resources.add(database);
        ExchangeDatabase exchangeOfB = database.open();
        AuditLedger ledger = AuditLedger.create(new FailingReceiptLedger(LedgerStorage.jdbc(exchangeOfB.dataSource()), failNextReceipt), clock);
        PartnerRegistry registry = PartnerRegistry.jdbc(exchangeOfB, ledger, "admin");
        storeOfB = new ForwardingObjectStore(newStore(directory, clock))
        {
            @Override
            public List<AddOutcome> addObjects(String collectionId, List<StixObject> objects)
            {
                List<AddOutcome> outcomes = delegate().addObjects(collectionId, objects);
                if (collectionId.equals(ExchangeConfig.DEFAULT_INBOX_COLLECTION)) {
                    afterInboxStore.get().run();
                }
                return outcomes;
            }
        };
        resources.add(storeOfB);
        AtomicReference<ReleasePolicy> policy = new AtomicReference<>(ReleasePolicy.fromJson(POLICY_OF_B));
        b = ExchangeService.create(ExchangeConfig.defaults().withKeystore(certificates.keystore("b"), TestCertificates.PASSWORD).withRetry(Duration.ofSeconds(1), Duration.ofSeconds(60)),
                new LocalNode(TestPartners.identityOf("b"), keyOfB), exchangeOfB, storeOfB, registry, ledger, () -> ReleaseDecider.of(policy.get()), clock, new Random(2));
        resources.add(b);
        PolicyPartnerReads reads = PolicyPartnerReads.create(storeOfB, registry, () -> ReleaseDecider.of(policy.get()), b.markingResolver(), ledger, exchangeOfB, clock, Map.of());
        serverOfB = TaxiiServer.start(TaxiiServerConfig.fromProperties(Map.of(
                "http.port", "0",
                "http.tls.keystore", certificates.keystore("b").toString(),
                "http.tls.keystore-password", TestCertificates.PASSWORD,
                "http.tls.truststore", certificates.truststore("b").toString(),
                "http.tls.truststore-password", TestCertificates.PASSWORD,
                "http.tls.client-auth", "need")), storeOfB, clock, PasswordHasher.withIterations(1_000), List.of(b.routes()), reads);
        resources.add(serverOfB);

        a = new ExchangeTestNode("a", directory, certificates, clock);
        resources.add(a);
        a.policy(POLICY_OF_A);
        a.registry().putPartner(new Partner("b", "Node b", TestPartners.identityOf("b"), serverOfB.baseUri(), certificates.fingerprint("b"), keyOfB.toPublicJWK()));
        registry.putPartner(a.asPartner());
        registry.putPartner(new Partner("c", "Node c", TestPartners.identityOf("c"), URI.create("https://127.0.0.1:1/"), certificates.fingerprint("c"),
                TestPartners.newKey("c").toPublicJWK()));
    }

    @AfterEach
    void stopNodes()
            throws Exception
    {
        // Server first, then the services, then their stores and databases.
        for (int index = resources.size() - 1; index >= 0; index--) {
            if (resources.get(index) instanceof TaxiiServer) {
                resources.get(index).close();
            }
        }
        for (int index = resources.size() - 1; index >= 0; index--) {
            if (!(resources.get(index) instanceof TaxiiServer)) {
                resources.get(index).close();
            }
        }
    }

    @Test
    public void betweenTheStoreWriteAndTheExchangeCommitReceivedObjectsAreNotOfferedToAThirdPartner()
    {
        AtomicReference<List<String>> readInWindow = new AtomicReference<>();
        AtomicReference<ReleasePlan> plannedInWindow = new AtomicReference<>();
        afterInboxStore.set(() -> {
            afterInboxStore.set(() -> { });
            // Nothing of the envelope is committed on b's exchange side yet: no sequence, no receipt.
            assertThat(b.inboxStatistics().storedEnvelopes()).isZero();
            readInWindow.set(readAsC());
            plannedInWindow.set(b.preview("c", inboundItems()));
        });

        releaseFromAToB();

        assertThat(readInWindow.get()).as("the hook ran between store and commit").isNotNull();
        // The control: c does see what it may see at that moment, so the read looked at the stored objects.
        assertThat(readInWindow.get()).contains(idOf(green)).doesNotContainAnyElementsOf(restricted);
        assertWithheldFromC(plannedInWindow.get());
        assertThat(a.service().outbox("b")).singleElement().extracting(OutboxEntry::state).isEqualTo(OutboxState.STORED);
        assertNeverForwardedToC();
    }

    @Test
    public void aFailedExchangeCommitAfterTheStoreWriteNeverLetsReceivedObjectsGoToAThirdPartner()
    {
        failNextReceipt.set(true);

        releaseFromAToB();

        // The objects were stored, the exchange commit failed, and the sender is not asked again.
        assertThat(a.service().outbox("b")).singleElement().extracting(OutboxEntry::state).isNotEqualTo(OutboxState.STORED);
        assertThat(inboundItems()).extracting(ReleaseItem::id).contains(idOf(amber), idOf(strict), idOf(greenH2), idOf(green));
        assertThat(b.provenance(idOf(amber))).singleElement().extracting(ReceivedObject::partnerId).isEqualTo("a");
        assertNeverForwardedToC();

        // When the sender does retry, the objects are stored once and the first origin stays.
        clock.advance(Duration.ofMinutes(2));
        assertThat(a.service().deliverDue().stored()).isEqualTo(1);
        assertThat(a.service().outbox("b")).singleElement().extracting(OutboxEntry::state).isEqualTo(OutboxState.STORED);
        assertThat(storeOfB.findObjects(ExchangeConfig.DEFAULT_INBOX_COLLECTION, ObjectQuery.all(100).withVersions(VersionFilter.ALL)).objects())
                .extracting(stored -> stored.object().id()).doesNotHaveDuplicates().containsAll(restricted);
        assertThat(b.provenance(idOf(amber))).singleElement().extracting(ReceivedObject::partnerId).isEqualTo("a");
        assertNeverForwardedToC();
    }

    @Test
    public void aThirdPartnerIsNotServedTheMarkingDefinitionsOfObjectsWithheldFromIt()
    {
        // A's recipients marking names b: the definition itself tells of an object c may not see.
        ObjectNode forB = TestObjects.marking(VigieMarking.empty().withRecipients(List.of(TestPartners.identityOf("b"))));
        ObjectNode redForB = TestObjects.indicator(5, Tlp.RED, idOf(forB));
        a.service().release(List.of(item(forB), item(redForB), item(h2), item(greenH2), item(green)), ReleaseTargets.partners("b"), "analyst");
        assertThat(a.service().deliverDue().stored()).isEqualTo(1);
        assertThat(inboundItems()).extracting(ReleaseItem::id).contains(idOf(forB), idOf(h2), Tlp.GREEN.markingId(), Tlp.RED.markingId(), idOf(redForB));

        List<String> read = readAsC();

        assertThat(read).contains(idOf(green), Tlp.GREEN.markingId()).doesNotContain(idOf(forB), idOf(h2), Tlp.RED.markingId(), idOf(redForB), idOf(greenH2));
        // The same as a push to c sends.
        assertThat(b.preview("c", inboundItems()).objects()).extracting(object -> object.path("id").asString()).containsExactlyInAnyOrderElementsOf(read);
    }

    private void releaseFromAToB()
    {
        ReleaseResult result = a.service().release(List.of(item(h2), item(amber), item(strict), item(greenH2), item(green)), ReleaseTargets.partners("b"), "analyst");
        assertThat(result.partner("b").orElseThrow().releasedObjectIds()).containsAll(restricted).contains(idOf(green));
        a.service().deliverDue();
    }

    /** C's TAXII read, its release planning and a release to it: none offers a restricted object. */
    private void assertNeverForwardedToC()
    {
        assertThat(readAsC()).contains(idOf(green)).doesNotContainAnyElementsOf(restricted);
        assertWithheldFromC(b.preview("c", inboundItems()));
        ReleaseResult release = b.release(inboundItems(), ReleaseTargets.partners("c"), "analyst");
        assertThat(release.partner("c").orElseThrow().releasedObjectIds()).contains(idOf(green)).doesNotContainAnyElementsOf(restricted);
    }

    private void assertWithheldFromC(ReleasePlan plan)
    {
        assertThat(plan.objects()).extracting(object -> object.path("id").asString()).contains(idOf(green)).doesNotContainAnyElementsOf(restricted);
        assertThat(plan.decisions()).filteredOn(decision -> restricted.contains(decision.objectId())).hasSize(restricted.size())
                .extracting(ReleaseDecision::reason).containsOnly(DecisionReason.RECEIVED_NOT_FOR_THIRD_PARTY);
    }

    private List<ReleaseItem> inboundItems()
    {
        List<ReleaseItem> items = new ArrayList<>();
        for (StoredObject stored : storeOfB.findObjects(ExchangeConfig.DEFAULT_INBOX_COLLECTION, ObjectQuery.all(100)).objects()) {
            items.add(ReleaseItem.of(stored.object().tree(), ExchangeConfig.DEFAULT_INBOX_COLLECTION));
        }
        return items;
    }

    /** Ids of the objects c is served reading b's inbound collection over TAXII with its own certificate, marking-definitions included. */
    private List<String> readAsC()
    {
        HttpClient client = HttpClient.newBuilder().sslContext(certificates.clientContext("c")).build();
        URI uri = URI.create(serverOfB.baseUri() + "vigie/collections/" + ExchangeConfig.DEFAULT_INBOX_COLLECTION + "/objects/");
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).header("Accept", TAXII).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            for (JsonNode object : StixJson.parse(response.body()).path("objects").values()) {
                ids.add(object.path("id").asString());
            }
            return ids;
        }
        catch (Exception e) {
            throw new AssertionError("GET " + uri + " as partner c failed", e);
        }
    }

    private static ReleaseItem item(ObjectNode object)
    {
        return ReleaseItem.of(object, "intel");
    }
}
