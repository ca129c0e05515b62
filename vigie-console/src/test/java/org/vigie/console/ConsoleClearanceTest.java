package org.vigie.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Marking clearances over the API: carol reads the intel collection but is cleared only up to TLP:GREEN
 * and no handling code; alice is cleared for TLP:RED. In every screen carol sees neither the objects
 * above her clearance nor their existence: the answers are those for objects that do not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleClearanceTest
{
    private ConsoleNode node;
    private ConsoleHttp client;
    private String alice;
    private String carol;
    private final String greenActor = ConsoleNode.id("threat-actor");
    private final String greenTarget = ConsoleNode.id("intrusion-set");
    private final String redActor = ConsoleNode.id("threat-actor");
    private final String handledActor = ConsoleNode.id("threat-actor");
    private final String redRelationshipTarget = ConsoleNode.id("campaign");
    private final String handlingMarking;

    ConsoleClearanceTest()
    {
        handlingMarking = VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty())
                .toMarkingDefinition(Instant.parse("2026-01-01T00:00:00Z"), ConsoleExchangeFixture.LOCAL_IDENTITY).toString();
    }

    @BeforeAll
    void start(@TempDir Path directory)
            throws Exception
    {
        node = new ConsoleNode(directory);
        client = new ConsoleHttp(node);
        String handlingId = ConsoleJson.MAPPER.readTree(handlingMarking).get("id").stringValue();
        node.add(ConsoleNode.INTEL,
                TlpMarkings.Tlp.GREEN.json(),
                handlingMarking,
                ConsoleNode.named(greenActor, "Cleared green actor", tlp(TlpMarkings.Tlp.GREEN)),
                ConsoleNode.named(greenTarget, "Cleared green target", ""),
                ConsoleNode.named(redActor, "Cleared red actor", tlp(TlpMarkings.Tlp.RED)),
                ConsoleNode.named(handledActor, "Cleared handled actor", ",\"object_marking_refs\":[\"" + TlpMarkings.Tlp.GREEN.id() + "\",\"" + handlingId + "\"]"),
                ConsoleNode.named(redRelationshipTarget, "Cleared campaign", ""),
                ConsoleNode.relationship(greenActor, "attributed-to", greenTarget),
                ConsoleNode.relationship(greenActor, "uses", redActor),
                redRelationship(greenActor, "attributed-to", redRelationshipTarget),
                ConsoleSharingApiTest.sighting(redActor, "2026-03-01T09:30:00.000Z", 3, null),
                ConsoleSharingApiTest.sighting(greenActor, "2026-03-01T09:40:00.000Z", 2, null));
        alice = client.login("alice");
        carol = client.login("carol");
    }

    @AfterAll
    void stop()
    {
        node.close();
    }

    @Test
    void searchFindsOnlyObjectsOfTheUsersClearance()
            throws Exception
    {
        assertThat(hitIds(client.get(alice, "/console/api/search?q=cleared"))).containsExactlyInAnyOrder(greenActor, greenTarget, redActor, handledActor, redRelationshipTarget);
        JsonNode carolHits = client.get(carol, "/console/api/search?q=cleared");
        assertThat(hitIds(carolHits)).containsExactlyInAnyOrder(greenActor, greenTarget, redRelationshipTarget);
        assertThat(carolHits.get("total").longValue()).isEqualTo(3);
        assertThat(client.get(carol, "/console/api/search?q=" + redActor).get("total").longValue()).isZero();
    }

    @Test
    void anObjectAboveTheClearanceAnswersAsOneThatDoesNotExist()
            throws Exception
    {
        String missing = ConsoleNode.id("threat-actor");
        for (String hidden : List.of(redActor, handledActor)) {
            HttpResponse<String> existing = client.send(carol, "/console/api/objects/" + hidden);
            HttpResponse<String> absent = client.send(carol, "/console/api/objects/" + missing);
            assertThat(existing.statusCode()).isEqualTo(404);
            assertThat(existing.body().replace(hidden, "ID")).isEqualTo(absent.body().replace(missing, "ID"));
            assertThat(client.send(carol, "/console/api/objects/" + hidden + "/relationships").statusCode()).isEqualTo(404);
        }
        assertThat(client.get(alice, "/console/api/objects/" + redActor).get("name").stringValue()).isEqualTo("Cleared red actor");
        // A count per collection would tell carol how much she may not see.
        client.get(carol, "/console/api/collections").get("collections").forEach(collection -> assertThat(collection.has("versions")).isFalse());
    }

    @Test
    void anEditOfAnObjectAboveTheClearanceAnswersAsOneThatDoesNotExistAndChangesNothing()
            throws Exception
    {
        String erin = client.login("erin");
        String missing = ConsoleNode.id("threat-actor");
        HttpResponse<String> hidden = client.sendPost(erin, "/console/api/objects", edit(redActor, "clear"));
        HttpResponse<String> absent = client.sendPost(erin, "/console/api/objects", edit(missing, "clear"));
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).doesNotContain("Cleared red actor");
        assertThat(hidden.body().replace(redActor, "ID")).isEqualTo(absent.body().replace(missing, "ID"));
        // Still the one red version: the edit neither read nor re-marked it.
        JsonNode stored = client.get(alice, "/console/api/objects/" + redActor);
        assertThat(stored.get("name").stringValue()).isEqualTo("Cleared red actor");
        assertThat(stored.get("versions").size()).isEqualTo(1);
        // The same user edits an object of its clearance (its marking kept, so that the other tests see the same).
        assertThat(client.sendPost(erin, "/console/api/objects", edit(greenActor, "green")).statusCode()).isEqualTo(200);
    }

    private static String edit(String id, String tlp)
    {
        return "{\"collection\":\"" + ConsoleNode.INTEL + "\",\"type\":\"threat-actor\",\"id\":\"" + id + "\",\"tlp\":\"" + tlp + "\",\"properties\":{}}";
    }

    @Test
    void theGraphLeaksNothingThroughRelationships()
            throws Exception
    {
        JsonNode aliceGraph = client.get(alice, "/console/api/objects/" + greenActor + "/relationships");
        // Sightings of the actor are neighbours too; the relationships are the point here.
        assertThat(ids(aliceGraph.get("nodes"))).filteredOn(id -> !id.startsWith("sighting--")).containsExactlyInAnyOrder(greenActor, greenTarget, redActor, redRelationshipTarget);
        JsonNode carolGraph = client.get(carol, "/console/api/objects/" + greenActor + "/relationships");
        // Neither the red neighbour nor the neighbour reached only through a TLP:RED relationship.
        assertThat(ids(carolGraph.get("nodes"))).filteredOn(id -> !id.startsWith("sighting--")).containsExactlyInAnyOrder(greenActor, greenTarget);
        List<String> ends = new ArrayList<>();
        carolGraph.get("edges").forEach(edge -> ends.addAll(List.of(edge.get("source").stringValue(), edge.get("target").stringValue())));
        assertThat(ends).contains(greenTarget).doesNotContain(redActor, redRelationshipTarget);
        assertThat(carolGraph.toString()).doesNotContain(redActor, redRelationshipTarget);
    }

    @Test
    void sharingAndDetectionApplyTheClearanceToo()
            throws Exception
    {
        HttpResponse<String> preview = client.sendPost(carol, "/console/api/sharing/preview",
                "{\"partner\":\"" + ConsoleExchangeFixture.BRAVO + "\",\"objects\":[\"" + redActor + "\"]}");
        String missing = ConsoleNode.id("threat-actor");
        HttpResponse<String> previewMissing = client.sendPost(carol, "/console/api/sharing/preview",
                "{\"partner\":\"" + ConsoleExchangeFixture.BRAVO + "\",\"objects\":[\"" + missing + "\"]}");
        assertThat(preview.statusCode()).isEqualTo(404);
        assertThat(preview.body().replace(redActor, "ID")).isEqualTo(previewMissing.body().replace(missing, "ID"));

        JsonNode aliceSightings = client.get(alice, "/console/api/detection/sightings");
        JsonNode carolSightings = client.get(carol, "/console/api/detection/sightings");
        assertThat(aliceSightings.get("total").longValue()).isEqualTo(2);
        // The sighting of the red actor is visible to carol (it carries no marking) but not the actor's name.
        assertThat(carolSightings.get("total").longValue()).isEqualTo(2);
        assertThat(carolSightings.toString()).doesNotContain("Cleared red actor").contains("Cleared green actor");
        assertThat(aliceSightings.toString()).contains("Cleared red actor");
    }

    @Test
    void theLiveFeedSkipsObjectsAboveTheClearance()
            throws Exception
    {
        String red = ConsoleNode.id("campaign");
        String green = ConsoleNode.id("campaign");
        try (FeedClient carolFeed = FeedClient.open(client.http, node.server.baseUri(), carol, Optional.empty());
                FeedClient aliceFeed = FeedClient.open(client.http, node.server.baseUri(), alice, Optional.empty())) {
            node.add(ConsoleNode.INTEL, ConsoleNode.named(red, "Red live campaign", tlp(TlpMarkings.Tlp.RED)));
            node.add(ConsoleNode.INTEL, ConsoleNode.named(green, "Green live campaign", tlp(TlpMarkings.Tlp.GREEN)));
            List<FeedClient.Message> carolSaw = carolFeed.takeUntil(message -> message.data().contains(green));
            List<FeedClient.Message> aliceSaw = aliceFeed.takeUntil(message -> message.data().contains(green));
            assertThat(FeedClient.objectIds(carolSaw, "campaign--")).contains(green).doesNotContain(red);
            assertThat(carolSaw).noneSatisfy(message -> assertThat(message.data()).contains(redActor, handledActor));
            assertThat(FeedClient.objectIds(aliceSaw, "campaign--")).contains(red, green);
        }
    }

    private static String tlp(TlpMarkings.Tlp level)
    {
        return ",\"object_marking_refs\":[\"" + level.id() + "\"]";
    }

    private static String redRelationship(String source, String type, String target)
    {
        String relationship = ConsoleNode.relationship(source, type, target);
        return relationship.substring(0, relationship.length() - 1) + tlp(TlpMarkings.Tlp.RED) + "}";
    }

    private static List<String> ids(JsonNode array)
    {
        List<String> ids = new ArrayList<>();
        array.forEach(node -> ids.add(node.get("id").stringValue()));
        return ids;
    }

    private static List<String> hitIds(JsonNode search)
    {
        return ids(search.get("hits"));
    }
}
