package org.vigie.node.cli;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.detection.DetectionConfig;
import org.vigie.kafka.KafkaConfig;
import org.vigie.kafka.KafkaTestCluster;
import org.vigie.kafka.ObservationLog;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectQuery;
import org.vigie.taxii.auth.PasswordHasher;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.node.testing.Polling.await;

/**
 * {@code vigie match-worker} as its own process beside a node with {@code kafka.enabled}, on a real broker: the worker
 * takes its indicators from the node's event log on Kafka (an indicator added over TAXII reaches it, and so does its
 * deletion, which reading the store by date added would not see), matches an observation against it, and serves
 * {@code /health} and {@code /metrics} on {@code match-worker.metrics-port}, scraped here over HTTP; the node stores
 * its sighting.
 */
class MatchWorkerProcessTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String ADDRESS = "203.0.113.9";
    private KafkaTestCluster kafka;

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newHttpClient();


    @Test
    void workerFollowsTheEventLogMatchesAndServesItsMetrics()
            throws Exception
    {
        kafka = KafkaTestCluster.shared();
        String topicPrefix = "worker-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Path data = directory.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("vigie.properties"), String.join("\n",
                "http.port=0",
                "kafka.enabled=true",
                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "kafka.topic-prefix=" + topicPrefix,
                "kafka.partitions=2",
                "match-worker.indicator-refresh-ms=100",
                "match-worker.session-timeout-ms=6000",
                ""));
        KafkaConfig kafkaConfig = KafkaConfig.defaults().withBootstrapServers(kafka.bootstrapServers()).withTopicPrefix(topicPrefix);
        int metricsPort = freePort();
        try (VigieNode node = VigieNode.start(NodeConfig.load(data, Map.of()), InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            String collection = node.initialization().createdCollection().orElseThrow().id();
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    (node.initialization().administratorName() + ":" + node.initialization().administratorPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8));
            try (ChildProcess worker = ChildProcess.start(directory.resolve("worker.err"), "match-worker", "--data-dir", data.toString(), "--indicators", collection,
                    "--metrics-port", Integer.toString(metricsPort))) {
                worker.awaitLine(line -> line.startsWith("match worker ") && line.endsWith(" with 0 indicators"), DEADLINE);
                URI metrics = URI.create(worker.awaitLine(line -> line.startsWith(MatchWorkerCommand.METRICS_LINE), DEADLINE).substring(MatchWorkerCommand.METRICS_LINE.length()));
                assertThat(metrics.getPort()).isEqualTo(metricsPort);
                HttpResponse<String> health = get(metrics.resolve("/health"));
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).isEqualTo("ok\n");

                String indicatorId = "indicator--" + UUID.randomUUID();
                HttpResponse<String> stored = http.send(HttpRequest.newBuilder(node.apiRootUri().resolve("collections/" + collection + "/objects/"))
                        .header("Authorization", basic)
                        .header("Content-Type", "application/taxii+json;version=2.1")
                        .header("Accept", "application/taxii+json;version=2.1")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"objects":[{"type":"indicator","spec_version":"2.1","id":"%s","created":"2026-01-01T00:00:00.000Z",
                                 "modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '%s']","pattern_type":"stix",
                                 "valid_from":"2026-01-01T00:00:00Z"}]}""".formatted(indicatorId, ADDRESS)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(stored.statusCode()).as(stored.body()).isEqualTo(202);
                await("the worker holds the indicator added through the node", () -> metric(metrics, "vigie_match_worker_indicators") == 1);

                try (ObservationLog observations = ObservationLog.open(kafkaConfig)) {
                    assertThat(observations.publishAll(observation())).isEqualTo(1);
                    observations.flush();
                }
                List<JsonNode> sightings = sightings(kafkaConfig, 1);
                assertThat(sightings).extracting(sighting -> sighting.get("sighting_of_ref").stringValue()).containsExactly(indicatorId);
                // The node stores the workers' sightings where detection keeps its own.
                String sightingId = sightings.get(0).get("id").stringValue();
                await("the node stored the worker's sighting", () -> !node.store()
                        .findObjects(DetectionConfig.DEFAULT_SIGHTINGS_COLLECTION, ObjectQuery.all(1).withIds(List.of(sightingId))).objects().isEmpty());
                await("the worker's metrics count the observation, its match and batch, and no lag",
                        () -> metric(metrics, "vigie_match_worker_observations_total") == 1 && metric(metrics, "vigie_match_worker_matches_total") == 1
                                && metric(metrics, "vigie_match_worker_batch_seconds_count") >= 1 && metric(metrics, "vigie_match_worker_consumer_lag_records") == 0);
                assertThat(metric(metrics, "vigie_match_worker_batch_seconds_sum")).isPositive();
                assertThat(get(metrics).body()).contains("jvm_memory_used_bytes");

                // A deletion reaches the worker too: only an event log reports it.
                HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(node.apiRootUri().resolve("collections/" + collection + "/objects/" + indicatorId + "/"))
                        .header("Authorization", basic)
                        .header("Accept", "application/taxii+json;version=2.1")
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
                await("the worker dropped the deleted indicator", () -> metric(metrics, "vigie_match_worker_indicators") == 0);
            }
        }
    }

    private static List<JsonNode> observation()
    {
        String addressId = "ipv4-addr--" + UUID.randomUUID();
        return List.of(
                StixJson.parse("""
                        {"type":"observed-data","spec_version":"2.1","id":"observed-data--%s","created":"2026-05-31T12:00:00.000Z","modified":"2026-05-31T12:00:00.000Z",
                         "first_observed":"2026-05-31T12:00:00Z","last_observed":"2026-05-31T12:00:00Z","number_observed":1,"object_refs":["%s"]}"""
                        .formatted(UUID.randomUUID(), addressId)),
                StixJson.parse("{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"" + addressId + "\",\"value\":\"" + ADDRESS + "\"}"));
    }

    /** Reads the sightings topic from its beginning until {@code count} sightings have arrived. */
    private static List<JsonNode> sightings(KafkaConfig config, int count)
    {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<JsonNode> sightings = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(config.topicPrefix() + "sightings"));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (sightings.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + sightings.size() + " sightings within " + DEADLINE);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    sightings.add(StixJson.parse(record.value()));
                }
            }
        }
        return sightings;
    }

    private HttpResponse<String> get(URI uri)
    {
        try {
            return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new IllegalStateException("GET " + uri, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }

    private double metric(URI metrics, String name)
    {
        HttpResponse<String> response = get(metrics);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in " + response.body()));
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
