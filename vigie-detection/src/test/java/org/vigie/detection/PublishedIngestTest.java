package org.vigie.detection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.TestClock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigie.detection.DetectionNode.INDICATORS;
import static org.vigie.detection.DetectionNode.SIGHTINGS;

/**
 * The ingest endpoint with {@code detection.ingest=kafka}, over real HTTP, publishing to a fake that records what it
 * is given (the Kafka publisher itself is tested end to end in the node): observations are checked as for local
 * matching, then published and answered 202 with their count; nothing is matched or stored in the node.
 */
class PublishedIngestTest
{
    private static final String INGEST = "/ingest/" + INDICATORS + "/observations";
    private static final Instant OBSERVED = Instant.parse("2026-02-28T12:00:00Z");

    @TempDir
    Path directory;

    @Test
    void observationsArePublishedCountedAndNotMatchedHere()
    {
        RecordingPublisher publisher = new RecordingPublisher(INDICATORS);
        try (DetectionNode node = new DetectionNode(directory, Map.of(DetectionConfig.INGEST, "kafka"), Optional.of(publisher))) {
            node.client("admin").addObjects(INDICATORS, List.of(StixJson.compact(Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '198.51.100.7']", Stix.CREATED))));
            ObjectNode address = Stix.ipv4("198.51.100.7");
            ObjectNode other = Stix.ipv4("192.0.2.1");
            List<ObjectNode> objects = List.of(Stix.observedData(OBSERVED, address), address, Stix.observedData(OBSERVED, other), other);

            HttpResponse<String> response = node.post(INGEST, "analyst", StixJson.compact(Stix.bundle(objects)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(StixJson.parse(response.body()).get("published").asInt()).isEqualTo(2);
            assertThat(publisher.requests).singleElement().isEqualTo(objects);
            // The node's own matcher holds the indicator, yet matched nothing and stored nothing.
            assertThat(node.store.countObjects(SIGHTINGS)).isZero();
            DetectionStatus status = node.detection.status();
            assertThat(status.published()).isEqualTo(2);
            assertThat(status.observations()).isZero();

            JsonNode shown = StixJson.parse(node.get("/ingest/status", "analyst").body());
            assertThat(shown.get("published").asInt()).isEqualTo(2);
            assertThat(shown.get("ingest").stringValue()).isEqualTo("kafka");
        }
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsPublished()
    {
        RecordingPublisher publisher = new RecordingPublisher(INDICATORS);
        try (DetectionNode node = new DetectionNode(directory, Map.of(DetectionConfig.INGEST, "kafka"), Optional.of(publisher))) {
            ObjectNode address = Stix.ipv4("198.51.100.7");
            ObjectNode invalid = Stix.observedData(OBSERVED, address);
            invalid.remove("first_observed");
            HttpResponse<String> notStix = node.post(INGEST, "analyst", StixJson.compact(Stix.bundle(List.of(invalid, address))));
            assertThat(notStix.statusCode()).as(notStix.body()).isEqualTo(400);
            assertThat(notStix.body()).contains("first_observed");

            HttpResponse<String> noObservation = node.post(INGEST, "analyst", StixJson.compact(Stix.bundle(List.of(address))));
            assertThat(noObservation.statusCode()).as(noObservation.body()).isEqualTo(400);
            assertThat(noObservation.body()).contains("no observed-data to publish");

            HttpResponse<String> cannotWrite = node.post(INGEST, "reader", StixJson.compact(Stix.bundle(Stix.observation(OBSERVED, address))));
            assertThat(cannotWrite.statusCode()).isEqualTo(403);
            assertThat(publisher.requests).isEmpty();
            assertThat(node.detection.status().published()).isZero();
        }
    }

    @Test
    void onlyTheWorkersCollectionIsAccepted()
    {
        try (ObjectStore store = ObjectStores.sqlite(directory.resolve("store.db"), new TestClock(OBSERVED))) {
            store.createCollection(CollectionInfo.of("feed-a", "A"));
            store.createCollection(CollectionInfo.of("feed-b", "B"));
            DetectionConfig config = DetectionConfig.fromProperties(Map.of(DetectionConfig.INGEST, "kafka", DetectionConfig.SIGHTINGS_COLLECTION, "sightings"));
            try (DetectionService detection = DetectionService.create(config, store, new TestClock(OBSERVED), Optional.of(new RecordingPublisher("feed-a")))) {
                assertThatThrownBy(() -> detection.publish("feed-b", Stix.observation(OBSERVED, Stix.ipv4("192.0.2.1"))))
                        .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.COLLECTION_NOT_FOUND))
                        .hasMessageContaining("'feed-a' only");
                assertThat(detection.publish("feed-a", Stix.observation(OBSERVED, Stix.ipv4("192.0.2.1")))).isEqualTo(1);
            }

            // Without a publisher, or with one whose collection detection does not cover, the service does not start.
            assertThatThrownBy(() -> DetectionService.create(config, store, new TestClock(OBSERVED), Optional.empty()))
                    .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                    .hasMessageContaining("'detection.ingest' = 'kafka'");
            DetectionConfig onlyA = config.withIndicatorCollections(List.of("feed-a"));
            assertThatThrownBy(() -> DetectionService.create(onlyA, store, new TestClock(OBSERVED), Optional.of(new RecordingPublisher("feed-b"))))
                    .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                    .hasMessageContaining("'feed-b' is not one of detection.indicator-collections");
        }
    }

    /** Records each request's objects and answers with its observed-data count, as the Kafka publisher does. */
    private static final class RecordingPublisher
            implements ObservationPublisher
    {
        final List<List<JsonNode>> requests = new ArrayList<>();
        private final String collection;

        RecordingPublisher(String collection)
        {
            this.collection = collection;
        }

        @Override
        public String indicatorCollection()
        {
            return collection;
        }

        @Override
        public synchronized int publish(List<JsonNode> objects)
        {
            requests.add(List.copyOf(objects));
            return (int) objects.stream().filter(object -> "observed-data".equals(object.path("type").asString(null))).count();
        }
    }
}
