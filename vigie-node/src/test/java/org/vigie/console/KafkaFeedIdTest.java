package org.vigie.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.kafka.KafkaTestCluster;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.taxii.auth.PasswordHasher;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console's live feed over the Kafka event log of a node with 200 collections (a real broker; one topic per
 * collection): every SSE id stays under 512 characters, where the whole Kafka cursor would take about 170 a
 * collection (34 KB, far beyond an 8 KB request header), and a client resuming after the k-th event receives
 * exactly the events after it. An id whose base is unknown starts the stream from now with a notice; a malformed
 * one is refused. In the console's package (in the node's tests) to use the console's test client, {@link FeedClient}.
 */
class KafkaFeedIdTest
{
    private static final int COLLECTIONS = 200;
    private static final int BOUND = 512;
    private static final int RESUME_AFTER = 57;

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void idsStayShortWithTwoHundredCollectionsAndResumeExactly()
            throws Exception
    {
        KafkaTestCluster kafka = KafkaTestCluster.shared();
        Path data = Files.createDirectories(directory.resolve("node"));
        Files.writeString(data.resolve("vigie.properties"), String.join("\n",
                "http.port=0",
                "kafka.enabled=true",
                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "kafka.topic-prefix=feed-ids-" + UUID.randomUUID().toString().substring(0, 8) + ".",
                ""));
        try (VigieNode node = VigieNode.start(NodeConfig.load(data, Map.of()), InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            List<String> collections = new ArrayList<>();
            for (int index = 0; index < COLLECTIONS; index++) {
                String id = UUID.randomUUID().toString();
                node.store().createCollection(CollectionInfo.of(id, "inbox of partner " + index));
                collections.add(id);
            }
            String token = login(node);
            // A first object in each collection: every collection's topic then exists, and the feed's cursor names all of them.
            try (FeedClient first = FeedClient.open(http, node.baseUri(), token, Optional.empty())) {
                first.takeUntil(message -> message.event().equals("cursor"));
                List<String> created = writeOnePerCollection(node, collections);
                takeObjects(first, created);
                List<String> written = writeOnePerCollection(node, collections);
                List<FeedClient.Message> messages = takeObjects(first, written);
                List<FeedClient.Message> objects = messages.stream().filter(message -> message.event().equals("object")).toList();
                assertThat(objects).hasSize(COLLECTIONS);
                int longest = 0;
                for (FeedClient.Message message : messages) {
                    String id = message.id().orElseThrow(() -> new AssertionError("a message without an id: " + message));
                    longest = Math.max(longest, id.length());
                }
                assertThat(longest).as("the longest id").isLessThan(BOUND);
                // What the last id stands for: the whole cursor, whose own text would not fit a request header.
                String last = messages.get(messages.size() - 1).id().orElseThrow();
                try (SearchDatabase search = SearchDatabase.sqlite(data.resolve(SearchDatabase.SQLITE_FILE))) {
                    FeedPositions positions = new FeedPositions(search, InstantSource.system());
                    FeedPositions.Compact compact = FeedPositions.parse(last);
                    String whole = FeedPositions.apply(positions.find(compact.token()).orElseThrow(), compact, last).encode();
                    System.out.println("over " + COLLECTIONS + " collections: longest SSE id " + longest + " characters, the whole cursor " + whole.length()
                            + "; resumption bases saved: " + count(search));
                    assertThat(whole.length()).as("the whole cursor's text").isGreaterThan(8 * 1024);
                }

                // Resumed after the k-th object: exactly the objects after it, each once.
                List<String> rest = ids(objects.subList(RESUME_AFTER, objects.size()));
                try (FeedClient resumed = FeedClient.open(http, node.baseUri(), token, objects.get(RESUME_AFTER - 1).id())) {
                    List<String> again = ids(takeObjects(resumed, rest));
                    assertThat(again).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(rest);
                    // Nothing of the first k comes after: a sentinel written now is the next object.
                    List<String> sentinel = writeOnePerCollection(node, collections.subList(0, 1));
                    assertThat(ids(takeObjects(resumed, sentinel))).containsExactlyElementsOf(sentinel);
                }
            }

            // A well-formed id whose base is not (or no longer) saved: a notice, then the stream from now.
            try (FeedClient unknown = FeedClient.open(http, node.baseUri(), token, Optional.of("f2.AAAAAAAAAAAAAAAA.0:1"))) {
                List<FeedClient.Message> opening = unknown.takeUntil(message -> message.event().equals("cursor"));
                assertThat(opening).extracting(FeedClient.Message::event).containsExactly("notice", "cursor");
                assertThat(opening.get(0).data()).contains("could not resume", "events in between are not shown");
                List<String> after = writeOnePerCollection(node, collections.subList(1, 2));
                assertThat(ids(takeObjects(unknown, after))).containsExactlyElementsOf(after);
            }
            assertThatThrownBy(() -> FeedClient.open(http, node.baseUri(), token, Optional.of("f2.not-a-token.0:1")))
                    .hasMessageContaining("400")
                    .hasMessageContaining("is not an id this console issued");
        }
    }

    private static long count(SearchDatabase search)
            throws SQLException
    {
        try (Connection connection = search.connection(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM feed_positions")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<String> writeOnePerCollection(VigieNode node, List<String> collections)
    {
        List<String> ids = new ArrayList<>();
        for (String collection : collections) {
            String id = "indicator--" + UUID.randomUUID();
            node.store().addObjects(collection, List.of(StixObject.fromJson("""
                    {"type":"indicator","spec_version":"2.1","id":"%s","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
                     "name":"C2 address","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""".formatted(id))));
            ids.add(id);
        }
        return ids;
    }

    private String login(VigieNode node)
            throws IOException, InterruptedException
    {
        String basic = "Basic " + Base64.getEncoder().encodeToString((node.initialization().administratorName() + ":"
                + node.initialization().administratorPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.baseUri().resolve("console/api/login"))
                .header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StixJson.parse(response.body()).get("token").stringValue();
    }

    /** The feed's messages up to the one completing {@code objectIds}: events of different collections come in any order. */
    private static List<FeedClient.Message> takeObjects(FeedClient feed, List<String> objectIds)
            throws InterruptedException
    {
        Set<String> missing = new HashSet<>(objectIds);
        return feed.takeUntil(message -> {
            if (message.event().equals("object")) {
                missing.remove(StixJson.parse(message.data()).get("id").stringValue());
            }
            return missing.isEmpty();
        });
    }

    private static List<String> ids(List<FeedClient.Message> messages)
    {
        return FeedClient.objectIds(messages, "indicator--");
    }
}
