package org.vigie.node.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.detection.DetectionConfig;
import org.vigie.kafka.IndicatorSources;
import org.vigie.kafka.KafkaConfig;
import org.vigie.kafka.KafkaEventLog;
import org.vigie.kafka.KafkaEventLogs;
import org.vigie.kafka.MatchWorker;
import org.vigie.kafka.MatchWorkerConfig;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.testing.KafkaDeployment;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.taxii.auth.PasswordHasher;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.node.server.DetectionRequests.indicator;
import static org.vigie.node.server.DetectionRequests.observation;
import static org.vigie.node.testing.Polling.await;

/**
 * Live detection with {@code kafka.enabled}, on a real PostgreSQL database and a real Kafka broker: an indicator
 * deleted through one replica (its newest version, then every version) reaches the other replica's matcher through
 * the event log (its own refresh is set to an hour, and reads only versions added anyway); and with
 * {@code detection.ingest=kafka}, observations POSTed to the node are published to the observations topic, matched by
 * a matching worker (in this JVM, following the node's event log on Kafka as {@code vigie match-worker} does), and
 * the worker's sighting comes back through the sightings topic into the node's detection sightings collection.
 */
class KafkaDetectionTest
{
    private static final String FEEDS = "feeds";
    private static final String OTHER = "other";

    @TempDir
    Path directory;

    private final DetectionRequests requests = new DetectionRequests();

    @Test
    void deletionReachesTheOtherReplicasMatcher()
            throws Exception
    {
        KafkaDeployment deployment = KafkaDeployment.create("detection-deletion");
        Path first = dataDirectory(deployment, "replica-1", List.of());
        Path second = dataDirectory(deployment, "replica-2", List.of());
        try (VigieNode replica1 = start(first)) {
            String collection = replica1.initialization().createdCollection().orElseThrow().id();
            String basic = DetectionRequests.administrator(replica1);
            KafkaDeployment.shareIdentity(first, second);
            try (VigieNode replica2 = start(second)) {
                String indicatorId = "indicator--" + UUID.randomUUID();
                String newerVersion = "2026-01-02T00:00:00.000Z";
                requests.addObjects(replica1, basic, collection, List.of(
                        indicator(indicatorId, "2026-01-01T00:00:00.000Z", "198.51.100.30"),
                        indicator(indicatorId, newerVersion, "198.51.100.31"),
                        indicator("indicator--" + UUID.randomUUID(), "2026-01-01T00:00:00.000Z", "198.51.100.32")));
                await("replica 2's matcher holds both indicators written through replica 1", () -> requests.metric(replica2, basic, "vigie_detection_indicators") == 2);
                assertThat(requests.sightings(replica2, basic, collection, "198.51.100.31")).isEqualTo(1);
                assertThat(requests.sightings(replica2, basic, collection, "198.51.100.30")).isZero();

                // The newest version deleted through replica 1: replica 2 falls back to the older one.
                requests.delete(replica1, basic, collection, indicatorId, "?match%5Bversion%5D=" + newerVersion);
                await("replica 2 matches the remaining version", () -> requests.sightings(replica2, basic, collection, "198.51.100.30") == 1);
                assertThat(requests.sightings(replica2, basic, collection, "198.51.100.31")).isZero();
                assertThat(requests.metric(replica2, basic, "vigie_detection_indicators")).isEqualTo(2);

                // Every version deleted: replica 2's matcher drops the indicator.
                requests.delete(replica1, basic, collection, indicatorId, "");
                await("replica 2 dropped the deleted indicator", () -> requests.metric(replica2, basic, "vigie_detection_indicators") == 1);
                assertThat(requests.sightings(replica2, basic, collection, "198.51.100.30")).isZero();
                assertThat(requests.sightings(replica2, basic, collection, "198.51.100.32")).isEqualTo(1);
            }
        }
    }

    @Test
    void observationsPostedToTheNodeAreMatchedByTheWorkers()
            throws Exception
    {
        KafkaDeployment deployment = KafkaDeployment.create("detection-ingest");
        Path data = dataDirectory(deployment, "node", List.of("detection.ingest=kafka", "match-worker.indicator-collection=" + FEEDS));
        NodeConfig config = NodeConfig.load(data, Map.of());
        // The workers' collection exists before the node starts, as an operator would have made it.
        try (ObjectStore store = NodeStores.open(config, InstantSource.system())) {
            store.createCollection(CollectionInfo.of(FEEDS, "Feeds"));
            store.createCollection(CollectionInfo.of(OTHER, "Other indicators"));
        }
        KafkaConfig kafkaConfig = KafkaConfig.fromProperties(config.featureProperties());
        MatchWorkerConfig workerConfig = MatchWorkerConfig.fromProperties(config.featureProperties())
                .withIndicatorRefresh(Duration.ofMillis(100))
                // The broker is shared by the tests of this JVM: a group of its own.
                .withGroupId(deployment.topicPrefix() + "workers");
        try (VigieNode node = start(data);
                KafkaEventLog events = KafkaEventLogs.reading(kafkaConfig, node.store().events());
                MatchWorker worker = MatchWorker.start(kafkaConfig, workerConfig, IndicatorSources.fromEventLog(events, node.store(), FEEDS), InstantSource.system())) {
            String basic = DetectionRequests.administrator(node);
            String indicatorId = "indicator--" + UUID.randomUUID();
            requests.addObjects(node, basic, FEEDS, List.of(indicator(indicatorId, "2026-01-01T00:00:00.000Z", "203.0.113.40")));
            await("the worker holds the indicator added through the node", () -> worker.indicators() == 1);

            String observations = observation("203.0.113.40") + observation("192.0.2.40");
            HttpResponse<String> published = requests.post(node, basic, "ingest/" + FEEDS + "/observations", observations);
            assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
            assertThat(StixJson.parse(published.body()).get("published").asInt()).isEqualTo(2);

            await("the worker's sighting is in the node's sightings collection", () -> !sightings(node).isEmpty());
            await("the worker matched both observations", () -> worker.observations() == 2);
            List<JsonNode> sightings = sightings(node);
            assertThat(sightings).singleElement().satisfies(sighting -> assertThat(sighting.get("sighting_of_ref").stringValue()).isEqualTo(indicatorId));
            assertThat(requests.metric(node, basic, "vigie_detection_observations_published_total")).isEqualTo(2);
            // Nothing was matched in the node itself.
            assertThat(requests.metric(node, basic, "vigie_detection_observations_total")).isZero();

            // Only the workers' collection is accepted.
            HttpResponse<String> elsewhere = requests.post(node, basic, "ingest/" + OTHER + "/observations", observation("203.0.113.40"));
            assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(404);
            assertThat(elsewhere.body()).contains(FEEDS);
            assertThat(worker.failure()).isEmpty();
        }
    }

    private Path dataDirectory(KafkaDeployment deployment, String name, List<String> more)
            throws IOException
    {
        List<String> lines = new ArrayList<>(List.of(
                "detection.enabled=true",
                // Only the event log can bring another replica's changes within the test.
                "detection.refresh-interval=1h"));
        lines.addAll(more);
        return deployment.replicaDirectory(directory, name, 2, lines);
    }

    private static VigieNode start(Path data)
    {
        return VigieNode.start(NodeConfig.load(data, Map.of()), InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000));
    }

    private static List<JsonNode> sightings(VigieNode node)
    {
        return node.store().findObjects(DetectionConfig.DEFAULT_SIGHTINGS_COLLECTION, ObjectQuery.all(100).withTypes(List.of("sighting"))).objects().stream()
                .map(StoredObject::object)
                .map(StixObject::tree)
                .toList();
    }
}
