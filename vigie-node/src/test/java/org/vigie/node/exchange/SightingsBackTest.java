package org.vigie.node.exchange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.server.VigieNode;
import org.vigie.stix.json.StixJson;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.stix.StixObject;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sightings back, end to end with two real nodes over mutual TLS: B receives an indicator from A; B's live
 * detection matches an observation POSTed to B's ingest endpoint; the sighting goes back to A by itself (B's
 * follower of its event log), and A stores it as received from B. A sighting of B's own indicator goes
 * nowhere. A sighting stored while B is down goes back when B starts again (the follower resumes at its saved
 * position). {@code vigie sighting send} sends one by hand, and refuses a sighting of a local indicator.
 */
class SightingsBackTest
{
    private static final String INBOX = "exchange-inbound";
    private static final String TAXII = "application/taxii+json;version=2.1";

    @Test
    void aSightingOfAReceivedIndicatorGoesBackToItsOriginator(@TempDir Path directory)
            throws Exception
    {
        TwoNodes.Node a = TwoNodes.node(directory, "a");
        TwoNodes.Node b = TwoNodes.node(directory, "b", "detection.enabled=true", "detection.indicator-collections=*");
        TwoNodes.trust(a, b);
        TwoNodes.trust(b, a);
        TwoNodes.Identity identityA = TwoNodes.identity(directory, a);
        TwoNodes.Identity identityB = TwoNodes.identity(directory, b);
        TwoNodes.partner(a, b, identityB);
        TwoNodes.partner(b, a, identityA);
        TwoNodes.policy(directory, a, "{\"name\":\"a\",\"rules\":[{\"name\":\"green to b\",\"effect\":\"allow\",\"partners\":[\"b\"],\"max_tlp\":\"green\"}]}");
        // B may tell A (and only A) of sightings; the indicator is named so that the required reference survives.
        TwoNodes.policy(directory, b, "{\"name\":\"b\",\"rules\":[{\"name\":\"sightings to a\",\"effect\":\"allow\",\"partners\":[\"a\"],\"types\":[\"sighting\",\"indicator\"]}]}");

        String received = "indicator--" + UUID.randomUUID();
        String local = "indicator--" + UUID.randomUUID();
        String remoteSighting;
        String localSighting;
        String collectionB;
        try (VigieNode nodeA = TwoNodes.start(a); VigieNode nodeB = TwoNodes.start(b)) {
            HttpClient http = TwoNodes.client(b);
            HttpClient httpToB = TwoNodes.client(a);
            String administratorA = administrator(nodeA);
            String administratorB = administrator(nodeB);
            String collectionA = nodeA.initialization().createdCollection().orElseThrow().id();
            collectionB = nodeB.initialization().createdCollection().orElseThrow().id();

            addObjects(http, nodeA, administratorA, collectionA, List.of(TlpMarkings.Tlp.GREEN.json(), indicator(received, "203.0.113.50", true)));
            HttpResponse<String> released = http.send(HttpRequest.newBuilder(nodeA.baseUri().resolve("console/api/sharing/release"))
                    .header("Authorization", administratorA).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[\"" + received + "\"],\"partners\":[\"b\"]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
            TwoNodes.awaitStored(nodeB, INBOX, received);
            addObjects(httpToB, nodeB, administratorB, collectionB, List.of(indicator(local, "198.51.100.60", false)));

            // The local sighting first: the log is followed in order, so once the other reaches A this one was looked at.
            localSighting = ingest(httpToB, nodeB, administratorB, collectionB, "198.51.100.60");
            remoteSighting = ingest(httpToB, nodeB, administratorB, INBOX, "203.0.113.50");

            TwoNodes.awaitStored(nodeA, INBOX, remoteSighting);
            JsonNode stored = nodeA.store().findObjects(INBOX, ObjectQuery.all(1).withIds(List.of(remoteSighting))).objects().get(0).object().tree();
            assertThat(stored.path("sighting_of_ref").asString()).isEqualTo(received);
            assertThat(nodeA.store().findObjects(INBOX, ObjectQuery.all(10)).objects()).extracting(object -> object.object().id())
                    .contains(remoteSighting).doesNotContain(localSighting, received);
        }

        // A recorded the sighting as received from B (a receipt, partner b); B released nothing else.
        String receipts = TwoNodes.cli("audit", "query", "--data-dir", a.data().toString(), "--kind", "receipt", "--object", remoteSighting);
        assertThat(receipts.lines().toList()).hasSize(1).allSatisfy(line -> assertThat(line).contains("RECEIPT\tb\t"));
        String releasesOfB = TwoNodes.cli("audit", "query", "--data-dir", b.data().toString(), "--kind", "release");
        assertThat(releasesOfB.lines().toList()).hasSize(1).allSatisfy(line -> assertThat(line).contains("RELEASE\ta\tsightings back", remoteSighting));
        assertThat(releasesOfB).doesNotContain(localSighting);

        // A sighting stored while B is down (its follower's position was saved) goes back once B runs again.
        String whileDown = "sighting--" + UUID.randomUUID();
        try (ObjectStore store = ObjectStores.sqlite(b.data().resolve("vigie.db"), InstantSource.system())) {
            store.addObjects(collectionB, List.of(StixObject.fromJson("{\"type\":\"sighting\",\"spec_version\":\"2.1\",\"id\":\"" + whileDown
                    + "\",\"created\":\"2026-02-02T00:00:00.000Z\",\"modified\":\"2026-02-02T00:00:00.000Z\",\"sighting_of_ref\":\"" + received + "\",\"count\":3}")));
        }
        try (VigieNode nodeA = TwoNodes.start(a); VigieNode nodeB = TwoNodes.start(b)) {
            TwoNodes.awaitStored(nodeA, INBOX, whileDown);
        }
        assertThat(TwoNodes.cli("audit", "query", "--data-dir", b.data().toString(), "--kind", "release").lines().toList()).hasSize(2);

        // By hand: the received one is queued again, the local one refused with why.
        TwoNodes.Result again = TwoNodes.run("", "sighting", "send", "--data-dir", b.data().toString(), remoteSighting);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("sighting " + remoteSighting + " queued for partner a in envelope envelope--");
        TwoNodes.Result refused = TwoNodes.run("", "sighting", "send", "--data-dir", b.data().toString(), localSighting);
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).contains(local + " was not received from a partner, so there is no originator to tell");
        TwoNodes.Result missing = TwoNodes.run("", "sighting", "send", "--data-dir", b.data().toString(), "sighting--" + UUID.randomUUID());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("is in no collection");
    }

    private static String indicator(String id, String address, boolean green)
    {
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\","
                + "\"pattern\":\"[ipv4-addr:value = '" + address + "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\""
                + (green ? ",\"object_marking_refs\":[\"" + TlpMarkings.Tlp.GREEN.id() + "\"]" : "") + "}";
    }

    private static void addObjects(HttpClient http, VigieNode node, String authorization, String collection, List<String> objects)
            throws Exception
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.apiRootUri().resolve("collections/" + collection + "/objects/"))
                .header("Authorization", authorization).header("Content-Type", TAXII).header("Accept", TAXII)
                .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[" + String.join(",", objects) + "]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    /** POSTs one observation of the address to the node's ingest endpoint for that indicator collection; returns the one sighting made. */
    private static String ingest(HttpClient http, VigieNode node, String authorization, String collection, String address)
            throws Exception
    {
        String addressId = "ipv4-addr--" + UUID.randomUUID();
        String observation = "[{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"" + addressId + "\",\"value\":\"" + address + "\"},"
                + "{\"type\":\"observed-data\",\"spec_version\":\"2.1\",\"id\":\"observed-data--" + UUID.randomUUID() + "\",\"created\":\"2026-02-01T10:00:00.000Z\","
                + "\"modified\":\"2026-02-01T10:00:00.000Z\",\"first_observed\":\"2026-02-01T09:00:00Z\",\"last_observed\":\"2026-02-01T09:00:00Z\",\"number_observed\":1,"
                + "\"object_refs\":[\"" + addressId + "\"]}]\n";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.baseUri().resolve("ingest/" + collection + "/observations"))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(observation)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sightings = StixJson.parse(response.body()).path("sightings");
        assertThat(sightings.size()).as(response.body()).isEqualTo(1);
        return sightings.get(0).asString();
    }

    private static String administrator(VigieNode node)
    {
        return "Basic " + Base64.getEncoder().encodeToString((node.initialization().administratorName() + ":" + node.initialization().administratorPassword().orElseThrow())
                .getBytes(StandardCharsets.UTF_8));
    }
}
