package org.vigie.console;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.service.EnvelopeKind;
import org.vigie.exchange.service.OutboxEntry;
import org.vigie.exchange.service.OutboxState;
import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sharing and Detection API over real HTTP, with a real exchange on SQLite (see {@link ConsoleNode}):
 * dry run, release queued in the partners' outboxes, recall and its status, the audit ledger with
 * filters and its verification, the administrators-only rule, and sightings grouped for the chart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSharingApiTest
{
    private ConsoleHttp client;
    private HttpClient http;
    private ConsoleNode node;
    private String alice;
    private String bob;
    private String admin;
    private final String green = ConsoleNode.id("indicator");
    private final String amber = ConsoleNode.id("indicator");
    private final String soc = ConsoleNode.id("identity");

    @BeforeAll
    void start(@TempDir Path directory)
            throws Exception
    {
        node = new ConsoleNode(directory);
        client = new ConsoleHttp(node);
        http = client.http;
        node.add(ConsoleNode.INTEL,
                indicator(green, "Green C2", "198.51.100.7", TlpMarkings.Tlp.GREEN.id()),
                indicator(amber, "Amber C2", "203.0.113.50", TlpMarkings.Tlp.AMBER.id()),
                ConsoleNode.named(soc, "Acme SOC", ",\"identity_class\":\"organization\""),
                sighting(green, "2026-03-01T09:10:00.000Z", 3, ConsoleExchangeFixture.BRAVO_IDENTITY),
                sighting(green, "2026-03-01T10:20:00.000Z", 1, null),
                sighting(amber, "2026-03-01T09:40:00.000Z", 2, soc));
        node.add(ConsoleNode.SECRET, sighting(green, "2026-03-01T09:15:00.000Z", 7, null));
        alice = client.login("alice");
        bob = client.login("bob");
        admin = client.login("admin");
    }

    @AfterAll
    void stop()
    {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void listsPartnersAndTrustGroupsWithAnEmptyOutbox()
            throws Exception
    {
        JsonNode body = client.get(alice, "/console/api/sharing/partners");
        assertThat(body.get("partners").values()).extracting(partner -> partner.get("id").stringValue())
                .containsExactly(ConsoleExchangeFixture.BRAVO, ConsoleExchangeFixture.CHARLIE);
        JsonNode bravo = body.get("partners").get(0);
        assertThat(bravo.get("certificate_sha256").stringValue()).isEqualTo(ConsoleExchangeFixture.fingerprint(ConsoleExchangeFixture.BRAVO));
        assertThat(bravo.get("groups").get(0).stringValue()).isEqualTo(ConsoleExchangeFixture.FORUM);
        assertThat(bravo.get("outbox").get("depth").asLong()).isZero();
        assertThat(bravo.get("outbox").has("last_receipt")).isFalse();
        assertThat(body.get("groups").get(0).get("members").values()).extracting(JsonNode::stringValue)
                .containsExactly(ConsoleExchangeFixture.BRAVO, ConsoleExchangeFixture.CHARLIE);
    }

    @Test
    @Order(2)
    void aDryRunExplainsEachDecisionAndQueuesNothing()
            throws Exception
    {
        long entriesBefore = node.ledger.query(AuditQuery.all()).size();
        JsonNode plan = client.post(alice, "/console/api/sharing/preview",
                "{\"partner\":\"" + ConsoleExchangeFixture.BRAVO + "\",\"objects\":[\"" + green + "\",\"" + amber + "\"]}");
        assertThat(plan.get("released_object_ids").values()).extracting(JsonNode::stringValue).containsExactly(green);
        assertThat(plan.get("handling").values()).extracting(JsonNode::stringValue).containsExactly("TLP:GREEN");
        JsonNode released = plan.get("decisions").get(0);
        assertThat(released.get("object_id").stringValue()).isEqualTo(green);
        assertThat(released.get("reason").stringValue()).isEqualTo("ALLOWED_BY_RULE");
        assertThat(released.get("rule").stringValue()).isEqualTo("forum gets green");
        JsonNode withheld = plan.get("decisions").get(1);
        assertThat(withheld.get("released").asBoolean()).isFalse();
        assertThat(withheld.get("reason").stringValue()).isEqualTo("NO_RULE_ALLOWS");
        assertThat(withheld.get("explanation").stringValue()).isNotBlank();

        JsonNode collection = client.post(alice, "/console/api/sharing/preview",
                "{\"partner\":\"" + ConsoleExchangeFixture.CHARLIE + "\",\"collection\":\"" + ConsoleNode.INTEL + "\"}");
        assertThat(collection.get("offered").asInt()).isEqualTo((int) node.store.countObjects(ConsoleNode.INTEL));
        assertThat(collection.get("released_object_ids").values()).extracting(JsonNode::stringValue).contains(green).doesNotContain(amber);

        assertThat(node.exchange.outbox(ConsoleExchangeFixture.BRAVO)).isEmpty();
        assertThat(node.ledger.query(AuditQuery.all())).hasSize((int) entriesBefore);
        // A user cannot dry-run objects it may not read: the same answer as for an unknown object.
        assertThat(client.sendPost(bob, "/console/api/sharing/preview", "{\"partner\":\"" + ConsoleExchangeFixture.BRAVO + "\",\"objects\":[\"" + green + "\"]}").statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(3)
    void releaseRecallOutboxesAndTheLedgerAreForAdministratorsOnly()
            throws Exception
    {
        String release = "{\"objects\":[\"" + green + "\"],\"partners\":[\"" + ConsoleExchangeFixture.BRAVO + "\"]}";
        for (String token : List.of(alice, bob)) {
            assertThat(client.sendPost(token, "/console/api/sharing/release", release).statusCode()).isEqualTo(403);
            assertThat(client.sendPost(token, "/console/api/sharing/recall", "{\"object\":\"" + green + "\",\"reason\":\"x\"}").statusCode()).isEqualTo(403);
            assertThat(client.send(token, "/console/api/sharing/recall/" + green).statusCode()).isEqualTo(403);
            assertThat(client.send(token, "/console/api/sharing/partners/" + ConsoleExchangeFixture.BRAVO + "/outbox").statusCode()).isEqualTo(403);
            assertThat(client.send(token, "/console/api/sharing/audit").statusCode()).isEqualTo(403);
            assertThat(client.send(token, "/console/api/sharing/audit/verify").statusCode()).isEqualTo(403);
        }
        HttpResponse<String> denied = client.sendPost(alice, "/console/api/sharing/release", release);
        assertThat(denied.body()).contains("for administrators only");
        assertThat(node.exchange.outbox(ConsoleExchangeFixture.BRAVO)).isEmpty();
    }

    @Test
    @Order(4)
    void releasesToATrustGroupAndQueuesOneEnvelopePerPartner()
            throws Exception
    {
        int deliveryRequests = node.deliveryRequests.get();
        JsonNode result = client.post(admin, "/console/api/sharing/release",
                "{\"objects\":[\"" + green + "\",\"" + amber + "\"],\"groups\":[\"" + ConsoleExchangeFixture.FORUM + "\"]}");
        assertThat(result.get("partners").values()).extracting(partner -> partner.get("partner").stringValue())
                .containsExactly(ConsoleExchangeFixture.BRAVO, ConsoleExchangeFixture.CHARLIE);
        for (JsonNode partner : result.get("partners").values()) {
            assertThat(partner.get("queued").asBoolean()).isTrue();
            assertThat(partner.get("sequence").asLong()).isEqualTo(1);
            assertThat(partner.get("released_object_ids").values()).extracting(JsonNode::stringValue).containsExactly(green);
            assertThat(partner.get("decisions").get(1).get("reason").stringValue()).isEqualTo("NO_RULE_ALLOWS");
        }
        assertThat(node.deliveryRequests.get()).isEqualTo(deliveryRequests + 1);
        OutboxEntry queued = node.exchange.outbox(ConsoleExchangeFixture.BRAVO).get(0);
        assertThat(queued.envelopeId()).isEqualTo(result.get("partners").get(0).get("envelope_id").stringValue());
        assertThat(queued.state()).isEqualTo(OutboxState.PENDING);
        assertThat(queued.objectIds()).containsExactly(green);

        JsonNode bravo = client.get(alice, "/console/api/sharing/partners").get("partners").get(0);
        assertThat(bravo.get("outbox").get("depth").asLong()).isEqualTo(1);
        assertThat(bravo.get("outbox").get("states").get("pending").asLong()).isEqualTo(1);
        JsonNode outbox = client.get(admin, "/console/api/sharing/partners/" + ConsoleExchangeFixture.BRAVO + "/outbox");
        assertThat(outbox.get("entries").get(0).get("state").stringValue()).isEqualTo("pending");
        assertThat(outbox.get("entries").get(0).get("kind").stringValue()).isEqualTo("release");
        assertThat(outbox.get("entries").get(0).get("object_ids").get(0).stringValue()).isEqualTo(green);
        assertThat(bravo.get("outbox").get("failures").asLong()).isZero();
        assertThat(bravo.get("outbox").has("last_error")).isFalse();

        // The partners' endpoints are unreachable: a delivery round fails for each, and the delivery state says so.
        node.exchange.deliverDue();
        for (JsonNode partner : client.get(alice, "/console/api/sharing/partners").get("partners").values()) {
            String partnerId = partner.get("id").stringValue();
            OutboxEntry failed = node.exchange.outbox(partnerId).get(0);
            assertThat(failed.state()).as(partnerId).isEqualTo(OutboxState.PENDING);
            assertThat(partner.get("outbox").get("failures").asLong()).as(partnerId).isEqualTo(1);
            assertThat(partner.get("outbox").get("depth").asLong()).as(partnerId).isEqualTo(1);
            assertThat(partner.get("outbox").get("last_error").stringValue()).as(partnerId).isEqualTo(failed.lastError().orElseThrow()).isNotBlank();
            assertThat(partner.get("outbox").has("last_receipt")).as(partnerId).isFalse();
        }
        JsonNode failedOutbox = client.get(admin, "/console/api/sharing/partners/" + ConsoleExchangeFixture.BRAVO + "/outbox");
        assertThat(failedOutbox.get("entries").get(0).get("attempts").asInt()).isEqualTo(1);
        assertThat(failedOutbox.get("entries").get(0).get("last_error").stringValue()).isNotBlank();
    }

    @Test
    @Order(5)
    void recallsWhatWasReleasedAndReportsWhoAcknowledged()
            throws Exception
    {
        JsonNode recall = client.post(admin, "/console/api/sharing/recall", "{\"object\":\"" + green + "\",\"reason\":\"false positive\"}");
        assertThat(recall.get("partners").values()).extracting(JsonNode::stringValue)
                .containsExactly(ConsoleExchangeFixture.BRAVO, ConsoleExchangeFixture.CHARLIE);
        assertThat(recall.get("skipped_partners").isArray()).as("holders no longer registered are listed (none here)").isTrue();
        assertThat(recall.get("skipped_partners").size()).isZero();
        assertThat(node.exchange.outbox(ConsoleExchangeFixture.BRAVO)).extracting(OutboxEntry::kind).containsExactly(EnvelopeKind.RELEASE, EnvelopeKind.RECALL);
        JsonNode status = client.get(admin, "/console/api/sharing/recall/" + green).get("status");
        assertThat(status.values()).extracting(row -> row.get("partner").stringValue()).containsExactly(ConsoleExchangeFixture.BRAVO, ConsoleExchangeFixture.CHARLIE);
        assertThat(status.values()).allSatisfy(row -> {
            assertThat(row.get("state").stringValue()).isEqualTo("pending");
            assertThat(row.get("acknowledged").asBoolean()).isFalse();
        });
        // Nothing of the amber indicator went out, so there is nobody to recall it from.
        assertThat(client.post(admin, "/console/api/sharing/recall", "{\"object\":\"" + amber + "\",\"reason\":\"test\"}").get("partners").size()).isZero();
        assertThat(client.sendPost(admin, "/console/api/sharing/recall", "{\"object\":\"" + green + "\"}").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(6)
    void theAuditLedgerIsFilteredByPartnerKindObjectAndTimeAndVerifies()
            throws Exception
    {
        JsonNode releases = client.get(admin, "/console/api/sharing/audit?partner=" + ConsoleExchangeFixture.BRAVO + "&kind=RELEASE");
        assertThat(releases.get("total").asInt()).isEqualTo(1);
        JsonNode entry = releases.get("entries").get(0);
        assertThat(entry.get("kind").stringValue()).isEqualTo("RELEASE");
        assertThat(entry.get("actor").stringValue()).isEqualTo("admin");
        assertThat(entry.get("object_ids").values()).extracting(JsonNode::stringValue).contains(green);

        JsonNode aboutGreen = client.get(admin, "/console/api/sharing/audit?object=" + green + "&kind=RELEASE,RECALL");
        int expected = node.ledger.query(AuditQuery.all().withObject(green).withKinds(Set.of(AuditKind.RELEASE, AuditKind.RECALL))).size();
        assertThat(expected).isGreaterThanOrEqualTo(3);
        assertThat(aboutGreen.get("total").asInt()).isEqualTo(expected);
        List<String> kinds = new ArrayList<>();
        aboutGreen.get("entries").forEach(row -> kinds.add(row.get("kind").stringValue()));
        assertThat(kinds).contains("RELEASE", "RECALL").first().isEqualTo("RECALL");

        int all = node.ledger.query(AuditQuery.all()).size();
        assertThat(client.get(admin, "/console/api/sharing/audit?from=2026-03-01T10:00:00Z").get("total").asInt()).isEqualTo(all);
        assertThat(client.get(admin, "/console/api/sharing/audit?to=2026-03-01T10:00:00Z").get("total").asInt()).isZero();
        assertThat(client.get(admin, "/console/api/sharing/audit?limit=2").get("entries").size()).isEqualTo(2);
        assertThat(client.send(admin, "/console/api/sharing/audit?kind=SHIPPED").statusCode()).isEqualTo(400);
        assertThat(client.send(admin, "/console/api/sharing/audit?from=yesterday").statusCode()).isEqualTo(400);

        JsonNode verification = client.get(admin, "/console/api/sharing/audit/verify");
        assertThat(verification.get("valid").asBoolean()).isTrue();
        assertThat(verification.get("entries_checked").asLong()).isEqualTo(all);
        assertThat(verification.get("head").get("sequence").asLong()).isEqualTo(node.ledger.head().orElseThrow().sequence());
    }

    @Test
    @Order(7)
    void sightingsAreGroupedPerIndicatorAndPartnerInReadableCollectionsWithTimeBuckets()
            throws Exception
    {
        JsonNode body = client.get(alice, "/console/api/detection/sightings?bucket=hour");
        assertThat(body.get("total").asInt()).isEqualTo(3);
        JsonNode first = body.get("per_sighted").get(0);
        assertThat(first.get("id").stringValue()).isEqualTo(green);
        assertThat(first.get("name").stringValue()).isEqualTo("Green C2");
        assertThat(first.get("sightings").asInt()).isEqualTo(2);
        assertThat(first.get("count").asInt()).isEqualTo(4);
        assertThat(body.get("per_sighted").get(1).get("id").stringValue()).isEqualTo(amber);
        assertThat(body.get("per_partner").values()).extracting(row -> row.get("partner").stringValue() + "=" + row.get("sightings").asInt())
                .containsExactlyInAnyOrder("CERT Bravo (" + ConsoleExchangeFixture.BRAVO + ")=1", "Acme SOC=1", DetectionApi.THIS_NODE + "=1");
        assertThat(body.get("bucket").stringValue()).isEqualTo("hour");
        assertThat(body.get("buckets").values()).extracting(row -> row.get("start").stringValue() + "=" + row.get("sightings").asInt())
                .containsExactly("2026-03-01T09:00:00.000Z=2", "2026-03-01T10:00:00.000Z=1");
        assertThat(body.get("recent").get(0).get("time").stringValue()).isEqualTo("2026-03-01T10:20:00.000Z");

        JsonNode minutes = client.get(alice, "/console/api/detection/sightings?bucket=minute&from=" + encode("2026-03-01T09:00:00Z") + "&to=" + encode("2026-03-01T10:00:00Z"));
        assertThat(minutes.get("total").asInt()).isEqualTo(2);
        assertThat(minutes.get("buckets").size()).isEqualTo(60);
        assertThat(minutes.get("buckets").get(10).get("sightings").asInt()).isEqualTo(1);

        // The secret collection's sighting counts for the administrator only; bob reads none of them.
        assertThat(client.get(admin, "/console/api/detection/sightings").get("total").asInt()).isEqualTo(4);
        assertThat(client.get(bob, "/console/api/detection/sightings").get("total").asInt()).isZero();
        assertThat(client.send(alice, "/console/api/detection/sightings?bucket=week").statusCode()).isEqualTo(400);
        // Where an answer's time went, stage by stage, for the browser's resource timing.
        assertThat(client.send(alice, "/console/api/detection/sightings").headers().firstValue("Server-Timing")).get(InstanceOfAssertFactories.STRING)
                .matches("facets;dur=[0-9.]+, sighted;dur=[0-9.]+, latest;dur=[0-9.]+, names;dur=[0-9.]+, partners;dur=[0-9.]+, chart;dur=[0-9.]+");
    }

    static String indicator(String id, String name, String address, String tlp)
    {
        return ConsoleNode.named(id, name, ",\"pattern\":\"[ipv4-addr:value = '" + address + "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\","
                + "\"object_marking_refs\":[\"" + tlp + "\"]");
    }

    static String sighting(String sightedId, String firstSeen, int count, String createdBy)
    {
        return "{\"type\":\"sighting\",\"spec_version\":\"2.1\",\"id\":\"" + ConsoleNode.id("sighting") + "\",\"created\":\"2026-03-01T00:00:00.000Z\","
                + "\"modified\":\"2026-03-01T00:00:00.000Z\",\"sighting_of_ref\":\"" + sightedId + "\",\"first_seen\":\"" + firstSeen + "\",\"count\":" + count
                + (createdBy == null ? "" : ",\"created_by_ref\":\"" + createdBy + "\"") + "}";
    }

    private static String encode(String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
