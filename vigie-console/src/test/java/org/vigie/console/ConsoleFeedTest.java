package org.vigie.console;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import org.vigie.taxii.server.TaxiiServer;
import org.vigie.taxii.server.TaxiiServerConfig;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live feed resumes where a dropped connection left it (SSE {@code Last-Event-ID} carrying a cursor
 * of the store's event log): with no gap and no duplicate, on the same node and on another replica
 * sharing the same PostgreSQL database.
 */
class ConsoleFeedTest
{
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void aReconnectedFeedResumesAfterTheLastMessageWithNoGapAndNoDuplicate(@TempDir Path directory)
            throws Exception
    {
        try (ConsoleNode node = new ConsoleNode(directory)) {
            String token = token(node.store, "alice");
            List<String> before = campaigns(2);
            List<String> during = campaigns(3);
            List<String> after = campaigns(2);
            String secret = ConsoleNode.id("campaign");
            Optional<String> resumeAt;
            try (FeedClient feed = FeedClient.open(http, node.server.baseUri(), token, Optional.empty())) {
                before.forEach(id -> node.add(ConsoleNode.INTEL, ConsoleNode.named(id, "Before " + id, "")));
                node.add(ConsoleNode.SECRET, ConsoleNode.named(secret, "Secret campaign", ""));
                List<FeedClient.Message> seen = feed.takeUntil(message -> message.data().contains(before.get(1)));
                assertThat(FeedClient.objectIds(seen, "campaign--")).containsExactlyElementsOf(before);
                resumeAt = feed.lastId();
                assertThat(resumeAt).isPresent();
            }
            // Written while the console is disconnected: the resumed stream must deliver them, once each.
            during.forEach(id -> node.add(ConsoleNode.INTEL, ConsoleNode.named(id, "During " + id, "")));
            try (FeedClient feed = FeedClient.open(http, node.server.baseUri(), token, resumeAt)) {
                after.forEach(id -> node.add(ConsoleNode.INTEL, ConsoleNode.named(id, "After " + id, "")));
                List<FeedClient.Message> seen = feed.takeUntil(message -> message.data().contains(after.get(1)));
                List<String> expected = new ArrayList<>(during);
                expected.addAll(after);
                assertThat(FeedClient.objectIds(seen, "campaign--")).containsExactlyElementsOf(expected);
                assertThat(seen).noneSatisfy(message -> assertThat(message.data()).contains(secret));
                assertThat(seen).allSatisfy(message -> assertThat(message.id()).as("every message is resumable").isPresent());
            }

            HttpResponse<String> invalid = http.send(HttpRequest.newBuilder(node.uri("/console/api/feed"))
                    .header("Authorization", "Bearer " + token)
                    .header("Last-Event-ID", "not-a-cursor").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(invalid.body()).contains("Last-Event-ID", "not-a-cursor");
        }
    }

    @Test
    void aFeedResumesOnAnotherReplicaOfTheSameDatabase()
            throws Exception
    {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE console_feed");
            }
            StoreConfig config = new StoreConfig(postgres.getJdbcUrl("postgres", "console_feed"), Optional.of("postgres"), Optional.empty(), 4);
            TickingClock clock = new TickingClock(Instant.parse("2026-03-01T10:00:00Z"));
            try (Replica first = new Replica(ObjectStores.open(config, clock), SearchDatabase.postgresql(config), clock);
                    Replica second = new Replica(ObjectStores.open(config, clock), SearchDatabase.postgresql(config), clock)) {
                first.store.createCollection(CollectionInfo.of(ConsoleNode.INTEL, "Intel"));
                new UserAdministration(first.store, PasswordHasher.withIterations(1_000), clock).createUser("alice", ConsoleNode.PASSWORD, List.of(ConsoleNode.INTEL), List.of(), false);
                String token = token(first.store, "alice");
                List<String> written = campaigns(6);
                Optional<String> resumeAt;
                try (FeedClient feed = FeedClient.open(http, first.server.baseUri(), token, Optional.empty())) {
                    add(second.store, written.subList(0, 2));
                    List<FeedClient.Message> seen = feed.takeUntil(message -> message.data().contains(written.get(1)));
                    assertThat(FeedClient.objectIds(seen, "campaign--")).containsExactlyElementsOf(written.subList(0, 2));
                    resumeAt = feed.lastId();
                }
                // Written through both replicas while disconnected; the console reconnects to the other replica.
                add(first.store, written.subList(2, 4));
                add(second.store, written.subList(4, 5));
                try (FeedClient feed = FeedClient.open(http, second.server.baseUri(), token, resumeAt)) {
                    add(first.store, written.subList(5, 6));
                    List<FeedClient.Message> seen = feed.takeUntil(message -> message.data().contains(written.get(5)));
                    assertThat(FeedClient.objectIds(seen, "campaign--")).containsExactlyElementsOf(written.subList(2, 6));
                }

                // The replicas share one search index in the database; the first replica's write reaches the second's searches.
                String late = ConsoleNode.id("campaign");
                assertThat(searchTotal(second, token, "zephyrine")).isZero();
                first.store.addObjects(ConsoleNode.INTEL, List.of(StixObject.fromJson(ConsoleNode.named(late, "Zephyrine campaign", ""))));
                long deadline = System.nanoTime() + FeedClient.DEADLINE.toNanos();
                while (searchTotal(second, token, "zephyrine") == 0) {
                    assertThat(System.nanoTime()).as("the other replica's write found by search before the deadline").isLessThan(deadline);
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** One node process's console over a store on the shared database. */
    private static final class Replica
            implements AutoCloseable
    {
        final ObjectStore store;
        final ConsoleRoutes console;
        final TaxiiServer server;
        final SearchDatabase searchDatabase;

        Replica(ObjectStore store, SearchDatabase searchDatabase, TickingClock clock)
        {
            PasswordHasher hasher = PasswordHasher.withIterations(1_000);
            this.store = new ObservedObjectStore(store, ObjectEvents.create());
            this.searchDatabase = searchDatabase;
            this.console = ConsoleRoutes.create(this.store, ObjectEvents.create(), clock, hasher, ConsoleNode::screener, ConsoleNode.CONFIG, searchDatabase);
            this.server = TaxiiServer.start(TaxiiServerConfig.fromProperties(Map.of("http.port", "0")), this.store, clock, hasher, List.of(console));
        }

        @Override
        public void close()
        {
            console.close();
            server.close();
            searchDatabase.close();
            store.close();
        }
    }

    private long searchTotal(Replica replica, String token, String query)
            throws Exception
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(replica.server.baseUri().resolve("/console/api/search?q=" + query))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ConsoleJson.MAPPER.readTree(response.body()).get("total").longValue();
    }

    private static void add(ObjectStore store, List<String> ids)
    {
        store.addObjects(ConsoleNode.INTEL, ids.stream().map(id -> StixObject.fromJson(ConsoleNode.named(id, "Campaign " + id, ""))).toList());
    }

    private static List<String> campaigns(int count)
    {
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            ids.add(ConsoleNode.id("campaign"));
        }
        return ids;
    }

    private static String token(ObjectStore store, String user)
    {
        return new UserAdministration(store, PasswordHasher.withIterations(1_000), new TickingClock(Instant.parse("2026-03-01T12:00:00Z"))).createToken(user).token();
    }
}
