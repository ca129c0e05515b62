package org.vigie.exchange.reads;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.audit.LedgerAnchor;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.HandlingCondition;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Partners reading the standard TAXII endpoints over real HTTPS with client certificates: partner b by
 * its pinned certificate, an analyst linked to partner b by HTTP Basic. Each sees exactly what the
 * release policy releases to b, withheld objects are 404, references to them are cut and named in a
 * header, paging stays exact, and every read is in the audit ledger.
 */
class PartnerTaxiiReadsTest
{
    private static final String TAXII = "application/taxii+json;version=2.1";
    private static final String SHARED = "shared";
    private static final String PRIVATE = "private";

    @TempDir
    static Path directory;

    private static TestCertificates certificates;
    private static ReadsFixture node;
    private static ObjectNode green;
    private static ObjectNode redUnnamed;
    private static ObjectNode redForB;
    private static ObjectNode amberFromC;
    private static ObjectNode h2FromC;
    private static ObjectNode relationshipToRed;
    private static ObjectNode report;
    private static ObjectNode narrowedFirst;
    private static ObjectNode twoVersionsFirst;
    private static ObjectNode twoVersionsSecond;
    private static ObjectNode privateObject;

    @BeforeAll
    static void start()
            throws Exception
    {
        certificates = TestCertificates.create(directory, List.of("node", "b", "c", "desk"));
        node = new ReadsFixture(directory, ReadsFixture.mutualTls(certificates, "node"), Map.of("analyst", "b"));
        for (String id : List.of("b", "c")) {
            node.registry.putPartner(new Partner(id, "Node " + id, TestPartners.identityOf(id), URI.create("https://127.0.0.1:1/"), certificates.fingerprint(id),
                    TestPartners.newKey(id).toPublicJWK()));
        }
        node.user("analyst", "analyst-password");
        node.user("admin", "admin-password");
        VigieMarking h2 = new VigieMarking(Optional.of(HandlingCondition.of(HandlingCode.H2)), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        VigieMarking forB = new VigieMarking(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(List.of(TestPartners.identityOf("b"))), Optional.empty());
        ObjectNode h2Definition = TestObjects.marking(h2);
        ObjectNode forBDefinition = TestObjects.marking(forB);

        green = TestObjects.indicator(1, Tlp.GREEN);
        redUnnamed = TestObjects.indicator(2, Tlp.RED);
        redForB = TestObjects.indicator(3, Tlp.RED, forBDefinition.path("id").asString());
        amberFromC = TestObjects.indicator(4, Tlp.AMBER);
        h2FromC = TestObjects.indicator(5, Tlp.GREEN, h2Definition.path("id").asString());
        relationshipToRed = (ObjectNode) StixJson.parse("{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":\"relationship--0b3c1f5a-8d0e-4c47-9a0e-5d7f4f1f0a01\","
                + "\"created\":\"2026-04-01T09:00:00.000Z\",\"modified\":\"2026-04-01T09:00:00.000Z\",\"relationship_type\":\"related-to\","
                + "\"source_ref\":\"" + TestObjects.idOf(green) + "\",\"target_ref\":\"" + TestObjects.idOf(redUnnamed) + "\","
                + "\"object_marking_refs\":[\"" + Tlp.GREEN.markingId() + "\"]}");
        report = (ObjectNode) StixJson.parse("{\"type\":\"report\",\"spec_version\":\"2.1\",\"id\":\"report--6f5e2b4c-1a3d-4e5f-8a9b-0c1d2e3f4a5b\","
                + "\"created\":\"2026-04-01T09:00:00.000Z\",\"modified\":\"2026-04-01T09:00:00.000Z\",\"name\":\"weekly\",\"published\":\"2026-04-01T09:00:00Z\","
                + "\"object_refs\":[\"" + TestObjects.idOf(green) + "\",\"" + TestObjects.idOf(redUnnamed) + "\"],"
                + "\"object_marking_refs\":[\"" + Tlp.GREEN.markingId() + "\"]}");
        narrowedFirst = TestObjects.indicator(6, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        ObjectNode narrowedSecond = TestObjects.indicator(6, "2026-04-02T09:00:00.000Z", Tlp.RED);
        twoVersionsFirst = TestObjects.indicator(7, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        twoVersionsSecond = TestObjects.indicator(7, "2026-04-03T09:00:00.000Z", Tlp.CLEAR);
        privateObject = TestObjects.indicator(8, Tlp.CLEAR);

        node.resolver.set(MarkingResolver.of(List.of(h2Definition, forBDefinition), Map.of(TestObjects.idOf(amberFromC), "c", TestObjects.idOf(h2FromC), "c")));
        node.policy.set(ReleasePolicy.fromJson("{\"name\":\"test\",\"rules\":["
                + "{\"name\":\"b reads shared\",\"effect\":\"allow\",\"partners\":[\"b\"],\"collections\":[\"" + SHARED + "\"]},"
                + "{\"name\":\"c reads clear\",\"effect\":\"allow\",\"partners\":[\"c\"],\"collections\":[\"" + SHARED + "\"],\"max_tlp\":\"clear\"}]}"));
        node.collection(SHARED);
        node.collection(PRIVATE);
        node.add(SHARED, List.of(green, redUnnamed, redForB, amberFromC, h2FromC, relationshipToRed, report, narrowedFirst, narrowedSecond, twoVersionsFirst, twoVersionsSecond));
        node.add(PRIVATE, List.of(privateObject));
    }

    @AfterAll
    static void stop()
    {
        node.close();
    }

    @Test
    void partnerCertificateSeesExactlyWhatThePolicyReleases()
    {
        Reader b = new Reader(certificates.clientContext("b"), Optional.empty());
        JsonNode page = b.json(objects(SHARED, ""), 200);
        assertThat(ids(page.path("objects"))).containsExactlyInAnyOrder(
                TestObjects.idOf(green), TestObjects.idOf(redForB), TestObjects.idOf(report), TestObjects.idOf(twoVersionsSecond));
        assertThat(page.path("more").booleanValue()).isFalse();
        // The report is served without its reference to the withheld object, and the header names the cut.
        JsonNode servedReport = find(page.path("objects"), TestObjects.idOf(report));
        assertThat(servedReport.path("object_refs").values()).extracting(JsonNode::asString).containsExactly(TestObjects.idOf(green));
        assertThat(b.last.headers().firstValue("X-Vigie-Withheld-References")).contains(TestObjects.idOf(report) + " object_refs");
        // Untouched objects are served byte for byte as stored.
        assertThat(find(page.path("objects"), TestObjects.idOf(green))).isEqualTo(green);

        JsonNode manifest = b.json(collection(SHARED) + "manifest/", 200);
        assertThat(ids(manifest.path("objects"))).containsExactlyInAnyOrderElementsOf(ids(page.path("objects")));
    }

    @Test
    void withheldObjectsAndCollectionsAreNotFoundNeverForbidden()
    {
        Reader b = new Reader(certificates.clientContext("b"), Optional.empty());
        for (ObjectNode withheld : List.of(redUnnamed, amberFromC, h2FromC, relationshipToRed, narrowedFirst)) {
            b.json(collection(SHARED) + "objects/" + TestObjects.idOf(withheld) + "/", 404);
            b.json(collection(SHARED) + "objects/" + TestObjects.idOf(withheld) + "/versions/", 404);
        }
        // Every version of an object whose latest version is withheld is hidden, older ones included.
        b.json(collection(SHARED) + "objects/" + TestObjects.idOf(narrowedFirst) + "/?match[version]=all", 404);
        JsonNode versions = b.json(collection(SHARED) + "objects/" + TestObjects.idOf(twoVersionsFirst) + "/versions/", 200);
        assertThat(versions.path("versions").values()).hasSize(2);
        b.json(collection(PRIVATE) + "", 404);
        b.json(objects(PRIVATE, ""), 404);
        JsonNode collections = b.json(node.baseUri() + "vigie/collections/", 200);
        assertThat(ids(collections.path("collections"))).containsExactly(SHARED);
        // Writing is not a partner's right: forbidden on a collection it sees, not found on one it does not.
        b.post(objects(SHARED, ""), 403);
        b.post(objects(PRIVATE, ""), 404);
    }

    @Test
    void pagingWithLimitOneServesEachVisibleObjectOnce()
    {
        Reader b = new Reader(certificates.clientContext("b"), Optional.empty());
        List<String> seen = new ArrayList<>();
        String next = null;
        int requests = 0;
        do {
            JsonNode page = b.json(objects(SHARED, "limit=1" + (next == null ? "" : "&next=" + next)), 200);
            assertThat(page.path("objects").size()).isLessThanOrEqualTo(1);
            seen.addAll(ids(page.path("objects")));
            next = page.path("more").booleanValue() ? page.path("next").asString() : null;
            requests++;
        }
        while (next != null && requests < 50);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrder(
                TestObjects.idOf(green), TestObjects.idOf(redForB), TestObjects.idOf(report), TestObjects.idOf(twoVersionsSecond));

        // added_after from the last page's header resumes after it, and a type filter applies before the policy.
        JsonNode all = b.json(objects(SHARED, "limit=2"), 200);
        String last = b.last.headers().firstValue("X-TAXII-Date-Added-Last").orElseThrow();
        JsonNode rest = b.json(objects(SHARED, "added_after=" + last), 200);
        assertThat(ids(all.path("objects"))).doesNotContainAnyElementsOf(ids(rest.path("objects")));
        assertThat(ids(all.path("objects")).size() + ids(rest.path("objects")).size()).isEqualTo(4);
        assertThat(ids(b.json(objects(SHARED, "match[type]=relationship"), 200).path("objects"))).isEmpty();
        assertThat(ids(b.json(objects(SHARED, "match[id]=" + TestObjects.idOf(redForB)), 200).path("objects"))).containsExactly(TestObjects.idOf(redForB));
    }

    @Test
    void anotherPartnerSeesItsOwnShareAndAnAnalystLinkedToBSeesWhatBSees()
    {
        Reader c = new Reader(certificates.clientContext("c"), Optional.empty());
        assertThat(ids(c.json(objects(SHARED, ""), 200).path("objects"))).containsExactly(TestObjects.idOf(twoVersionsSecond));

        Reader analyst = new Reader(certificates.clientContext("desk"), Optional.of(basic("analyst", "analyst-password")));
        assertThat(ids(analyst.json(objects(SHARED, ""), 200).path("objects"))).containsExactlyInAnyOrder(
                TestObjects.idOf(green), TestObjects.idOf(redForB), TestObjects.idOf(report), TestObjects.idOf(twoVersionsSecond));
        analyst.json(objects(PRIVATE, ""), 404);

        // A user not linked to a partner reads everything, unfiltered.
        Reader admin = new Reader(certificates.clientContext("desk"), Optional.of(basic("admin", "admin-password")));
        assertThat(ids(admin.json(objects(SHARED, ""), 200).path("objects"))).hasSize(9);
    }

    @Test
    void everyPartnerReadIsInTheLedger()
    {
        Reader b = new Reader(certificates.clientContext("b"), Optional.empty());
        b.json(collection(SHARED) + "objects/" + TestObjects.idOf(green) + "/", 200);
        List<AuditEntry> reads = node.ledgerEntries().stream()
                .filter(entry -> entry.kind() == AuditKind.PARTNER_READ && entry.actor().equals("partner:b") && entry.detail().startsWith("GET object " + TestObjects.idOf(green)))
                .toList();
        assertThat(reads).isNotEmpty();
        assertThat(reads.get(reads.size() - 1).objectIds()).containsExactly(TestObjects.idOf(green));
        assertThat(reads.get(reads.size() - 1).partnerId()).contains("b");
        assertThat(node.ledger.verify().valid()).isTrue();
    }

    @Test
    void collectionListingsCollectionsAndManifestsAreAuditedAsPartnerReads()
    {
        Reader c = new Reader(certificates.clientContext("c"), Optional.empty());
        // Other tests read as c too: only the entries appended from here on count.
        long before = node.ledger.head().map(LedgerAnchor::sequence).orElse(0L);
        c.json(node.baseUri() + "vigie/collections/", 200);
        c.json(collection(SHARED), 200);
        c.json(collection(SHARED) + "manifest/", 200);
        c.json(collection(PRIVATE), 404);

        // What `vigie audit query --partner c --kind partner_read` asks the ledger.
        List<AuditEntry> reads = node.ledger.query(AuditQuery.all().withPartner("c").withKinds(Set.of(AuditKind.PARTNER_READ))).stream()
                .filter(entry -> entry.sequence() > before)
                .toList();
        assertThat(reads).extracting(AuditEntry::detail).containsExactly(
                "GET collections: collections " + SHARED,
                "GET collection " + SHARED + ": collections " + SHARED,
                "GET manifest of collection " + SHARED + ": 1 served");
        assertThat(reads).allSatisfy(entry -> assertThat(entry.actor()).isEqualTo("partner:c"));
        assertThat(reads.get(2).objectIds()).containsExactly(TestObjects.idOf(twoVersionsSecond));
        assertThat(node.ledger.verify().valid()).isTrue();
    }

    private static String collection(String id)
    {
        return node.baseUri() + "vigie/collections/" + id + "/";
    }

    private static String objects(String collectionId, String query)
    {
        return collection(collectionId) + "objects/" + (query.isEmpty() ? "" : "?" + query);
    }

    private static List<String> ids(JsonNode array)
    {
        List<String> ids = new ArrayList<>();
        for (JsonNode element : array.values()) {
            ids.add(element.path("id").asString());
        }
        return ids;
    }

    private static JsonNode find(JsonNode array, String id)
    {
        for (JsonNode element : array.values()) {
            if (element.path("id").asString().equals(id)) {
                return element;
            }
        }
        throw new AssertionError("no object " + id + " in " + array);
    }

    private static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An HTTPS client presenting one certificate, and optionally an Authorization header. */
    private static final class Reader
    {
        private final HttpClient http;
        private final Optional<String> authorization;
        private HttpResponse<String> last;

        Reader(SSLContext context, Optional<String> authorization)
        {
            this.http = HttpClient.newBuilder().sslContext(context).build();
            this.authorization = authorization;
        }

        JsonNode json(String uri, int expectedStatus)
        {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).header("Accept", TAXII);
            authorization.ifPresent(value -> request.header("Authorization", value));
            return send(request.GET().build(), expectedStatus);
        }

        void post(String uri, int expectedStatus)
        {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).header("Accept", TAXII).header("Content-Type", TAXII);
            authorization.ifPresent(value -> request.header("Authorization", value));
            send(request.POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[" + StixJson.compact(TestObjects.indicator(99, Tlp.CLEAR)) + "]}")).build(), expectedStatus);
        }

        private JsonNode send(HttpRequest request, int expectedStatus)
        {
            try {
                last = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            catch (Exception e) {
                throw new AssertionError("request " + request.uri() + " failed", e);
            }
            assertThat(last.statusCode()).as(request.method() + " " + request.uri() + ": " + last.body()).isEqualTo(expectedStatus);
            return StixJson.parse(last.body());
        }
    }
}
