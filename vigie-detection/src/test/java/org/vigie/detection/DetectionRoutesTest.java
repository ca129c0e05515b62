package org.vigie.detection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.stix.json.StixJson;
import org.vigie.taxii.client.ObjectsQuery;
import org.vigie.taxii.client.TaxiiClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.detection.DetectionNode.INDICATORS;
import static org.vigie.detection.DetectionNode.SIGHTINGS;

/** The ingest endpoint over real HTTP, with an SQLite store and sightings read back over TAXII. */
class DetectionRoutesTest
{
    private static final String INGEST = "/ingest/" + INDICATORS + "/observations";
    private static final Instant OBSERVED = Instant.parse("2026-02-28T12:00:00Z");

    @TempDir
    Path directory;

    private DetectionNode node;

    @BeforeEach
    void start()
    {
        node = new DetectionNode(directory);
    }

    @AfterEach
    void stop()
    {
        node.close();
    }

    @Test
    void sightingsOfMatchedObservationsAreVisibleOverTaxii()
    {
        ObjectNode badAddress = Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '198.51.100.7']", Stix.CREATED);
        ObjectNode badDomain = Stix.indicator(Stix.newId("indicator"), "[domain-name:value = 'evil.example']", Stix.CREATED);
        TaxiiClient analyst = node.client("analyst");
        node.client("admin").addObjects(INDICATORS, List.of(StixJson.compact(badAddress), StixJson.compact(badDomain)));

        ObjectNode address = Stix.ipv4("198.51.100.7");
        ObjectNode harmless = Stix.ipv4("192.0.2.1");
        ObjectNode matching = Stix.observedData(OBSERVED, address);
        ObjectNode notMatching = Stix.observedData(OBSERVED, harmless);
        HttpResponse<String> response = node.post(INGEST, "analyst", StixJson.compact(Stix.bundle(List.of(matching, address, notMatching, harmless))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode summary = StixJson.parse(response.body());
        assertThat(summary.get("observations").asInt()).isEqualTo(2);
        assertThat(summary.get("matches").asInt()).isEqualTo(1);
        assertThat(summary.get("sightings")).hasSize(1);
        String sightingId = summary.get("sightings").get(0).stringValue();

        List<JsonNode> stored = objects(analyst, SIGHTINGS);
        JsonNode sighting = Stix.find(stored, sightingId).orElseThrow();
        assertThat(sighting.get("type").stringValue()).isEqualTo("sighting");
        assertThat(sighting.get("sighting_of_ref").stringValue()).isEqualTo(badAddress.get("id").stringValue());
        assertThat(sighting.get("observed_data_refs")).hasSize(1);
        assertThat(sighting.get("observed_data_refs").get(0).stringValue()).isEqualTo(matching.get("id").stringValue());
        // The observation behind the sighting is stored with it, so its references resolve; the other one is not.
        assertThat(Stix.find(stored, matching.get("id").stringValue())).isPresent();
        assertThat(Stix.find(stored, address.get("id").stringValue()).orElseThrow().get("value").stringValue()).isEqualTo("198.51.100.7");
        assertThat(Stix.find(stored, notMatching.get("id").stringValue())).isEmpty();
        assertThat(Stix.find(stored, harmless.get("id").stringValue())).isEmpty();
        assertThat(stored).hasSize(3);
        assertThat(summary.get("stored_objects").asInt()).isEqualTo(3);
    }

    @Test
    void newIndicatorVersionAppliesToTheNextIngestWithoutRestart()
    {
        String indicatorId = Stix.newId("indicator");
        TaxiiClient admin = node.client("admin");
        admin.addObjects(INDICATORS, List.of(StixJson.compact(Stix.indicator(indicatorId, "[ipv4-addr:value = '203.0.113.1']", Stix.CREATED))));
        assertThat(matches(Stix.ipv4("203.0.113.1"))).isEqualTo(1);
        assertThat(matches(Stix.ipv4("203.0.113.2"))).isZero();

        // A new version with another pattern, added over TAXII: the running detection was not told.
        admin.addObjects(INDICATORS, List.of(StixJson.compact(Stix.indicator(indicatorId, "[ipv4-addr:value = '203.0.113.2']", Stix.CREATED.plusSeconds(60)))));
        assertThat(matches(Stix.ipv4("203.0.113.2"))).isEqualTo(1);
        assertThat(matches(Stix.ipv4("203.0.113.1"))).isZero();

        // An older version arriving late does not win over the newer one.
        admin.addObjects(INDICATORS, List.of(StixJson.compact(Stix.indicator(indicatorId, "[ipv4-addr:value = '203.0.113.3']", Stix.CREATED.plusSeconds(30)))));
        assertThat(matches(Stix.ipv4("203.0.113.3"))).isZero();
        assertThat(matches(Stix.ipv4("203.0.113.2"))).isEqualTo(1);
        assertThat(node.detection.status().indicators()).isEqualTo(1);
    }

    @Test
    void revokedIndicatorStopsMatching()
    {
        ObjectNode indicator = Stix.indicator(Stix.newId("indicator"), "[domain-name:value = 'c2.example']", Stix.CREATED);
        TaxiiClient admin = node.client("admin");
        admin.addObjects(INDICATORS, List.of(StixJson.compact(indicator)));
        assertThat(matches(Stix.domain("c2.example"))).isEqualTo(1);

        admin.addObjects(INDICATORS, List.of(StixJson.compact(Stix.revoked(indicator, Stix.CREATED.plusSeconds(10)))));
        assertThat(matches(Stix.domain("c2.example"))).isZero();
        assertThat(node.detection.status().indicators()).isZero();
    }

    @Test
    void indicatorStopsMatchingWhenItsValidityEnds()
    {
        Instant until = node.clock.instant().plus(Duration.ofHours(1));
        ObjectNode indicator = Stix.validUntil(Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '198.51.100.99']", Stix.CREATED), until);
        node.client("admin").addObjects(INDICATORS, List.of(StixJson.compact(indicator)));
        assertThat(matches(Stix.ipv4("198.51.100.99"))).isEqualTo(1);

        node.clock.advance(Duration.ofHours(2));
        assertThat(matches(Stix.ipv4("198.51.100.99"))).isZero();
        // Ingest refreshed first, and a refresh drops what has expired.
        assertThat(node.detection.status().indicators()).isZero();
    }

    @Test
    void usersWithoutRightsAreRefusedAndNothingIsStored()
    {
        node.client("admin").addObjects(INDICATORS, List.of(StixJson.compact(Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '198.51.100.7']", Stix.CREATED))));
        ObjectNode address = Stix.ipv4("198.51.100.7");
        String body = StixJson.compact(Stix.bundle(Stix.observation(OBSERVED, address)));

        HttpResponse<String> outsider = node.post(INGEST, "outsider", body);
        assertThat(outsider.statusCode()).isEqualTo(404);
        assertThat(StixJson.parse(outsider.body()).get("description").stringValue()).contains(INDICATORS, "not an indicator collection");

        HttpResponse<String> reader = node.post(INGEST, "reader", body);
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(StixJson.parse(reader.body()).get("description").stringValue()).contains("reader", "may not write", SIGHTINGS);

        HttpResponse<String> unknownUser = node.post(INGEST, "nobody", body);
        assertThat(unknownUser.statusCode()).isEqualTo(401);

        HttpResponse<String> sightingsAsIndicators = node.post("/ingest/" + SIGHTINGS + "/observations", "admin", body);
        assertThat(sightingsAsIndicators.statusCode()).isEqualTo(404);

        assertThat(node.store.countObjects(SIGHTINGS)).isZero();
        assertThat(node.detection.status().observations()).isZero();
    }

    @Test
    void malformedRequestsAreRejectedWithAClearMessageAndNothingIsStored()
    {
        node.client("admin").addObjects(INDICATORS, List.of(StixJson.compact(Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '198.51.100.7']", Stix.CREATED))));
        ObjectNode address = Stix.ipv4("198.51.100.7");
        ObjectNode observedData = Stix.observedData(OBSERVED, address);

        HttpResponse<String> truncated = node.post(INGEST, "analyst", "{\"type\": \"bundle\", \"objects\": [");
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(description(truncated)).contains("malformed JSON at line 1");

        // A matching observation next to an observed-data whose observable is missing: the whole request fails.
        ObjectNode orphan = Stix.observedData(OBSERVED, Stix.ipv4("192.0.2.50"));
        HttpResponse<String> missingObservable = node.post(INGEST, "analyst", StixJson.compact(Stix.bundle(List.of(observedData, address, orphan))));
        assertThat(missingObservable.statusCode()).isEqualTo(400);
        assertThat(description(missingObservable)).contains(orphan.get("id").stringValue(), "object_refs", "not among the objects given");

        ObjectNode invalid = observedData.deepCopy();
        invalid.put("id", "observed-data--not-a-uuid");
        HttpResponse<String> invalidStix = node.post(INGEST, "analyst", StixJson.compact(Stix.bundle(List.of(invalid, address))));
        assertThat(invalidStix.statusCode()).isEqualTo(400);
        assertThat(description(invalidStix)).contains("observed-data--not-a-uuid", "not valid STIX 2.1");

        HttpResponse<String> bundleWithoutObjects = node.post(INGEST, "analyst", "{\"type\": \"bundle\", \"id\": \"" + Stix.newId("bundle") + "\"}");
        assertThat(bundleWithoutObjects.statusCode()).isEqualTo(400);
        assertThat(description(bundleWithoutObjects)).contains("bundle without an 'objects' array");

        HttpResponse<String> noObservation = node.post(INGEST, "analyst", StixJson.compact(Stix.bundle(List.of(address))));
        assertThat(noObservation.statusCode()).isEqualTo(400);
        assertThat(description(noObservation)).contains("no observed-data");

        HttpResponse<String> empty = node.post(INGEST, "analyst", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(description(empty)).contains("request body is empty");

        assertThat(node.store.countObjects(SIGHTINGS)).isZero();
        assertThat(node.detection.status().observations()).isZero();
        // The valid request still works afterwards.
        assertThat(node.post(INGEST, "analyst", StixJson.compact(Stix.bundle(List.of(observedData, address)))).statusCode()).isEqualTo(200);
        assertThat(node.store.countObjects(SIGHTINGS)).isEqualTo(3);
    }

    @Test
    void acceptsJsonLinesAndReportsStatus()
    {
        ObjectNode indicator = Stix.indicator(Stix.newId("indicator"), "[domain-name:value = 'phish.example']", Stix.CREATED);
        node.client("admin").addObjects(INDICATORS, List.of(StixJson.compact(indicator)));
        ObjectNode first = Stix.domain("phish.example");
        ObjectNode second = Stix.domain("benign.example");
        List<JsonNode> lines = new ArrayList<>();
        lines.add(first);
        lines.add(Stix.observedData(OBSERVED, first));
        lines.add(second);
        lines.add(Stix.observedData(OBSERVED, second));
        lines.add(Stix.observedData(OBSERVED.plusSeconds(1), first));
        String body = lines.stream().map(StixJson::compact).collect(Collectors.joining("\n"));

        HttpResponse<String> response = node.post(INGEST, "analyst", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode summary = StixJson.parse(response.body());
        assertThat(summary.get("observations").asInt()).isEqualTo(3);
        assertThat(summary.get("matches").asInt()).isEqualTo(2);
        assertThat(summary.get("sightings")).hasSize(2);

        HttpResponse<String> status = node.get("/ingest/status", "analyst");
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode counts = StixJson.parse(status.body());
        assertThat(counts.get("indicators").asInt()).isEqualTo(1);
        assertThat(counts.get("observations").asLong()).isEqualTo(3);
        assertThat(counts.get("matches").asLong()).isEqualTo(2);
        assertThat(counts.get("sightings").asLong()).isEqualTo(2);
        assertThat(counts.get("last_refresh").stringValue()).isEqualTo("2026-03-01T00:00:00.000000Z");
        assertThat(counts.get("collections")).hasSize(1);
        assertThat(counts.get("collections").get(0).get("id").stringValue()).isEqualTo(INDICATORS);

        // The outsider sees the counters but not the collection nor its indicator count.
        JsonNode outsider = StixJson.parse(node.get("/ingest/status", "outsider").body());
        assertThat(outsider.get("collections")).isEmpty();
        assertThat(outsider.get("indicators").asInt()).isZero();
    }

    private int matches(ObjectNode observable)
    {
        HttpResponse<String> response = node.post(INGEST, "analyst", StixJson.compact(Stix.bundle(Stix.observation(OBSERVED, observable))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode summary = StixJson.parse(response.body());
        assertThat(summary.get("sightings")).hasSize(summary.get("matches").asInt());
        return summary.get("matches").asInt();
    }

    private static List<JsonNode> objects(TaxiiClient client, String collectionId)
    {
        List<JsonNode> objects = new ArrayList<>();
        client.allObjects(collectionId, ObjectsQuery.all()).forEach(objects::add);
        return objects;
    }

    private static String description(HttpResponse<String> response)
    {
        return StixJson.parse(response.body()).get("description").stringValue();
    }
}
