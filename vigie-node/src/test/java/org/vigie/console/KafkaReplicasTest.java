package org.vigie.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.vigie.kafka.KafkaConfig;
import org.vigie.kafka.KafkaEventLogs;
import org.vigie.node.cli.ChildProcess;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.node.testing.KafkaDeployment;
import org.vigie.stix.json.StixJson;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.EventLog;
import org.vigie.taxii.auth.PasswordHasher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.node.testing.Polling.await;

/**
 * Two node replicas on one real PostgreSQL database and a real Kafka broker, with {@code kafka.enabled}: a write
 * through one replica reaches the other's console feed and live matcher through Kafka (the matcher's own refresh is
 * set to an hour, so nothing else could bring it), and when the relaying replica stops right after sending events
 * it had not recorded as sent, the other takes the relay over and its feed shows every event once. In the console's
 * package (in the node's tests) to read the feed with the console's own test client, {@link FeedClient}.
 */
class KafkaReplicasTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newHttpClient();


    @Test
    void writesReachTheOtherReplicaThroughKafkaAndTheRelayFailsOver()
            throws Exception
    {
        KafkaDeployment deployment = KafkaDeployment.create("kafka-replicas");
        Path first = dataDirectory(deployment, "replica-1");
        Path second = dataDirectory(deployment, "replica-2");
        KafkaConfig kafkaConfig = KafkaConfig.defaults().withBootstrapServers(deployment.bootstrapServers()).withTopicPrefix(deployment.topicPrefix());
        String relayCursor = KafkaEventLogs.relayCursorName(kafkaConfig);

        // Replica 1 is a process of its own, so that it can be killed (SIGKILL: no shutdown hook, no goodbye).
        try (ChildProcess replica1 = ChildProcess.start(directory.resolve("replica-1.err"), "serve", "--data-dir", first.toString())) {
            URI replica1Uri = URI.create(replica1.awaitLine(line -> line.startsWith("URL: "), DEADLINE).substring("URL: ".length()));
            // The default collection, not the detection sightings collection the banner may list before it.
            String collection = replica1.awaitLine(line -> line.startsWith("Collection: ") && line.endsWith(" " + NodeConfig.DEFAULT_COLLECTION_TITLE_VALUE), DEADLINE).split(" ")[1];
            String user = replica1.awaitLine(line -> line.startsWith("User: "), DEADLINE).substring("User: ".length());
            String password = replica1.awaitLine(line -> line.startsWith("Password: "), DEADLINE).substring("Password: ".length());
            String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            await("replica 1 relays the event log", () -> metric(replica1Uri, basic, "vigie_event_log_relay_leader") == 1);
            failOver(first, second, replica1, replica1Uri, basic, collection, relayCursor, kafkaConfig);
        }
    }

    private void failOver(Path first, Path second, ChildProcess replica1, URI replica1Uri, String basic, String collection, String relayCursor, KafkaConfig kafkaConfig)
            throws Exception
    {
        try (VigieNode replica2 = startReplica2(first, second)) {
            URI follower = replica2.baseUri();
            assertThat(metric(follower, basic, "vigie_event_log_relay_leader")).isEqualTo(0);
            assertThat(metric(follower, basic, "vigie_detection_indicators")).isEqualTo(0);

            try (FeedClient feed = FeedClient.open(http, follower, login(follower, basic), Optional.empty())) {
                feed.takeUntil(message -> message.event().equals("cursor"));

                // One indicator through replica 1: replica 2's feed shows it and its matcher holds it, both from Kafka.
                String indicator = newId();
                post(replica1Uri, basic, collection, List.of(indicator));
                assertThat(objectIds(feed.takeUntil(message -> isObject(message, indicator)))).containsExactly(indicator);
                await("replica 2's live matcher holds the indicator written through replica 1",
                        () -> metric(follower, basic, "vigie_detection_indicators") == 1);

                List<String> beforeFailover = newIds(19);
                post(replica1Uri, basic, collection, beforeFailover);
                List<String> seen = objectIds(takeObjects(feed, beforeFailover));
                assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(beforeFailover);

                // The leader stops just after sending its last 10 events and before recording them as sent: its saved
                // cursor is moved back by 10 (a relay saves only after a batch, and no write comes before it stops).
                EventLog storeLog = replica2.store().events();
                long committed = storeLog.end().position("sequence").orElseThrow();
                await("replica 1 relayed every event", () -> storeLog.savedCursor(relayCursor).flatMap(cursor -> boxed(cursor.position("sequence"))).orElse(0L) == committed);
                // Moved back while replica 1 still leads: otherwise replica 2 could take over and save first.
                Cursor saved = storeLog.savedCursor(relayCursor).orElseThrow();
                storeLog.saveCursor(relayCursor, saved.with("sequence", committed - 10));
                replica1.kill();

                List<String> afterFailover = newIds(20);
                post(follower, basic, collection, afterFailover);
                await("replica 2 took the relay over", () -> metric(follower, basic, "vigie_event_log_relay_leader") == 1);
                String sentinel = newId();
                post(follower, basic, collection, List.of(sentinel));
                List<String> expected = new ArrayList<>(afterFailover);
                expected.add(sentinel);
                List<FeedClient.Message> messages = takeObjects(feed, expected);
                List<String> afterIds = objectIds(messages);
                // The 10 copies the new relay sent again are in Kafka, yet the feed shows each event once.
                assertThat(afterIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
                assertThat(records(kafkaConfig)).isEqualTo(committed + 10 + afterFailover.size() + 1);

                // A client reconnecting after the 10th message resumes with the rest, no gap and no duplicate.
                List<FeedClient.Message> objectMessages = messages.stream().filter(message -> message.event().equals("object")).toList();
                String lastEventId = objectMessages.get(9).id().orElseThrow();
                try (FeedClient resumed = FeedClient.open(http, follower, login(follower, basic), Optional.of(lastEventId))) {
                    List<String> rest = objectIds(objectMessages.subList(10, objectMessages.size()));
                    assertThat(objectIds(takeObjects(resumed, rest))).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(rest);
                }
            }
        }
    }

    private static VigieNode startReplica2(Path first, Path second)
            throws IOException
    {
        KafkaDeployment.shareIdentity(first, second);
        return VigieNode.start(NodeConfig.load(second, Map.of()), InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000));
    }

    private Path dataDirectory(KafkaDeployment deployment, String name)
            throws IOException
    {
        return deployment.replicaDirectory(directory, name, 3, List.of(
                "detection.enabled=true",
                // Only the event log can bring another replica's indicators within the test.
                "detection.refresh-interval=1h"));
    }

    private static String newId()
    {
        return "indicator--" + UUID.randomUUID();
    }

    private static List<String> newIds(int count)
    {
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            ids.add(newId());
        }
        return ids;
    }

    private void post(URI node, String basic, String collection, List<String> indicatorIds)
            throws IOException, InterruptedException
    {
        String objects = indicatorIds.stream().map(id -> """
                {"type":"indicator","spec_version":"2.1","id":"%s","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
                 "name":"C2 address","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""".formatted(id))
                .collect(Collectors.joining(","));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("vigie/collections/" + collection + "/objects/"))
                .header("Authorization", basic)
                .header("Content-Type", "application/taxii+json;version=2.1")
                .header("Accept", "application/taxii+json;version=2.1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[" + objects + "]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(StixJson.parse(response.body()).get("success_count").asLong()).isEqualTo(indicatorIds.size());
    }

    private String login(URI node, String basic)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("console/api/login"))
                .header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StixJson.parse(response.body()).get("token").stringValue();
    }

    private double metric(URI node, String basic, String name)
    {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("metrics")).header("Authorization", basic).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body().lines()
                    .filter(line -> line.startsWith(name + " "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + " is not in " + response.body()));
        }
        catch (IOException e) {
            throw new IllegalStateException("GET /metrics", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The feed's messages up to the one completing {@code objectIds}: events of different partitions come in any order. */
    private static List<FeedClient.Message> takeObjects(FeedClient feed, Collection<String> objectIds)
            throws InterruptedException
    {
        Set<String> missing = new HashSet<>(objectIds);
        return feed.takeUntil(message -> {
            if (message.event().equals("object")) {
                missing.removeIf(id -> message.data().contains("\"" + id + "\""));
            }
            return missing.isEmpty();
        });
    }

    private static boolean isObject(FeedClient.Message message, String id)
    {
        return message.event().equals("object") && message.data().contains("\"" + id + "\"");
    }

    private static List<String> objectIds(List<FeedClient.Message> messages)
    {
        List<String> ids = new ArrayList<>();
        for (FeedClient.Message message : messages) {
            if (message.event().equals("object")) {
                ids.add(StixJson.parse(message.data()).get("id").stringValue());
            }
        }
        return ids;
    }

    /** Records in the event log's topics, copies included. */
    private static long records(KafkaConfig config)
            throws Exception
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            List<String> topics = admin.listTopics().names().get().stream().filter(name -> name.startsWith(config.topicPrefix() + "collection.")).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().values()
                    .forEach(topic -> topic.partitions().forEach(partition -> latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    private static Optional<Long> boxed(java.util.OptionalLong value)
    {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }
}
