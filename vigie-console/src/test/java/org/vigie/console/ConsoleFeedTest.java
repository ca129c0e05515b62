package org.vigie.console;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecord;
import org.vigie.exchange.audit.AuditRecords;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.service.ExchangeConfig;
import org.vigie.exchange.service.ExchangeService;
import org.vigie.exchange.service.LocalNode;
import org.vigie.exchange.service.ReleaseResult;
import org.vigie.exchange.service.ReleaseTargets;
import org.vigie.stix.StixObject;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import org.vigie.taxii.server.TaxiiServer;
import org.vigie.taxii.server.TaxiiServerConfig;
import tools.jackson.databind.JsonNode;

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
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live feed resumes where a dropped connection left it (SSE {@code Last-Event-ID} carrying one cursor
 * over the store's event log and the exchange's ledger): with no gap and no duplicate, across stored
 * objects, releases to partners and recalls, on the same node and on another replica sharing the same
 * PostgreSQL database; and a user without rights on a collection sees neither its objects nor their releases.
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
    void oneCursorResumesBothTheStoredObjectsAndTheReleasesToPartners(@TempDir Path directory)
            throws Exception
    {
        try (ConsoleNode node = new ConsoleNode(directory)) {
            String token = token(node.store, "alice");
            List<String> stored = campaigns(3);
            List<String> released = greenIndicators(node, 3);
            Optional<String> resumeAt;
            try (FeedClient feed = FeedClient.open(http, node.server.baseUri(), token, Optional.empty())) {
                node.add(ConsoleNode.INTEL, ConsoleNode.named(stored.get(0), "Before", ""));
                release(node, released.get(0));
                List<FeedClient.Message> seen = feed.takeUntil(until(Set.of(stored.get(0)), Set.of(released.get(0))));
                assertThat(FeedClient.objectIds(seen, "campaign--")).containsExactly(stored.get(0));
                assertThat(FeedClient.exchangeObjectIds(seen, "released")).containsExactly(released.get(0));
                FeedClient.Message release = seen.stream().filter(message -> message.event().equals("exchange")).findFirst().orElseThrow();
                JsonNode body = ConsoleJson.MAPPER.readTree(release.data());
                assertThat(body.get("partner").stringValue()).isEqualTo("CERT Bravo (" + ConsoleExchangeFixture.BRAVO + ")");
                assertThat(body.get("envelope_id").stringValue()).startsWith("envelope--");
                assertThat(body.get("objects").get(0).get("badges").toString()).contains("\"kind\":\"tlp\"", "\"value\":\"green\"");
                assertThat(body.has("detail")).as("the ledger's detail is for administrators").isFalse();
                resumeAt = feed.lastId();
            }
            // While the console is disconnected: an object stored, another released, the first release recalled.
            node.add(ConsoleNode.INTEL, ConsoleNode.named(stored.get(1), "During", ""));
            release(node, released.get(1));
            assertThat(node.exchange.recall(released.get(0), "false positive", "admin").recalledPartnerIds()).containsExactly(ConsoleExchangeFixture.BRAVO);
            try (FeedClient feed = FeedClient.open(http, node.server.baseUri(), token, resumeAt)) {
                node.add(ConsoleNode.INTEL, ConsoleNode.named(stored.get(2), "After", ""));
                release(node, released.get(2));
                List<FeedClient.Message> seen = feed.takeUntil(until(Set.of(stored.get(2)), Set.of(released.get(2))));
                assertThat(FeedClient.objectIds(seen, "campaign--")).containsExactlyElementsOf(stored.subList(1, 3));
                assertThat(FeedClient.objectIds(seen, "indicator--")).as("the released indicators were stored before the first connection").isEmpty();
                assertThat(FeedClient.exchangeObjectIds(seen, "released")).containsExactlyElementsOf(released.subList(1, 3));
                assertThat(FeedClient.exchangeObjectIds(seen, "recall-sent")).containsExactly(released.get(0));
                assertThat(seen).allSatisfy(message -> assertThat(message.id()).as("every message is resumable").isPresent());
            }
        }
    }

    @Test
    void aUserWithoutRightsOnTheCollectionSeesNeitherItsObjectsNorTheirReleases(@TempDir Path directory)
            throws Exception
    {
        try (ConsoleNode node = new ConsoleNode(directory)) {
            String token = token(node.store, "bob");
            String hidden = ConsoleNode.id("campaign");
            String hiddenRelease = greenIndicators(node, 1).get(0);
            String visible = ConsoleNode.id("campaign");
            String visibleRelease = ConsoleNode.id("indicator");
            node.add(ConsoleNode.PUBLIC, ConsoleSharingApiTest.indicator(visibleRelease, "Public C2", "192.0.2.10", TlpMarkings.Tlp.GREEN.id()));
            try (FeedClient feed = FeedClient.open(http, node.server.baseUri(), token, Optional.empty())) {
                // Written in this order in each source: once bob sees the public ones, the intel ones have been read and judged.
                node.add(ConsoleNode.INTEL, ConsoleNode.named(hidden, "Not for bob", ""));
                release(node, hiddenRelease);
                node.add(ConsoleNode.PUBLIC, ConsoleNode.named(visible, "For bob", ""));
                node.exchange.release(List.of(ReleaseItem.of(object(node.store, ConsoleNode.PUBLIC, visibleRelease), ConsoleNode.PUBLIC)),
                        new ReleaseTargets(List.of(ConsoleExchangeFixture.BRAVO), List.of()), "admin");
                List<FeedClient.Message> seen = feed.takeUntil(until(Set.of(visible), Set.of(visibleRelease)));
                assertThat(FeedClient.exchangeObjectIds(seen, "released")).containsExactly(visibleRelease);
                assertThat(seen).noneSatisfy(message -> assertThat(message.data()).contains(hidden));
                assertThat(seen).noneSatisfy(message -> assertThat(message.data()).contains(hiddenRelease));
            }
        }
    }

    @Test
    void everyOpenFeedGetsEachReleaseOnceFromOneLedgerReadAndOneStoreLookupPerChange(@TempDir Path directory)
            throws Exception
    {
        try (ConsoleNode node = new ConsoleNode(directory)) {
            List<String> released = greenIndicators(node, 3);
            List<String> tokens = List.of(token(node.store, "alice"), token(node.store, "alice"), token(node.store, "alice"), token(node.store, "carol"), token(node.store, "admin"));
            // The tail's first read (the head, then the entries before it) happens once, when the exchange is wired.
            long deadline = System.nanoTime() + FeedClient.DEADLINE.toNanos();
            while (node.console.ledgerReads() < 2) {
                assertThat(System.nanoTime()).as("the ledger tail's first read before the deadline").isLessThan(deadline);
                Thread.onSpinWait();
            }
            List<FeedClient> feeds = new ArrayList<>();
            try {
                for (String token : tokens) {
                    feeds.add(FeedClient.open(http, node.server.baseUri(), token, Optional.empty()));
                }
                long before = node.console.ledgerReads();
                long lookupsBefore = node.console.releaseLookups();
                for (int index = 0; index < released.size(); index++) {
                    release(node, released.get(index));
                    for (FeedClient feed : feeds) {
                        List<FeedClient.Message> seen = feed.takeUntil(until(Set.of(), Set.of(released.get(index))));
                        // Each release once, in order, in every feed, whatever came before it.
                        assertThat(FeedClient.exchangeObjectIds(seen, "released")).containsExactly(released.get(index));
                    }
                    // Every feed has its message: whatever the number of connections, the ledger was read once for it.
                    assertThat(node.console.ledgerReads() - before).as("ledger reads after release " + (index + 1) + " with " + feeds.size() + " open feeds")
                            .isEqualTo(index + 1);
                    // And the released objects were looked up in the store once for all five feeds (three users, the
                    // administrator among them), each feed filtering them for its user in memory.
                    assertThat(node.console.releaseLookups() - lookupsBefore).as("store lookups after release " + (index + 1) + " with " + feeds.size() + " open feeds")
                            .isEqualTo(index + 1);
                }
            }
            finally {
                for (FeedClient feed : feeds) {
                    feed.close();
                }
            }
        }
    }

    @Test
    void aFeedResumingFromBeforeWhatTheLedgerTailKeepsGetsEveryMissedReleaseOnceInOrder(@TempDir Path directory)
            throws Exception
    {
        try (ConsoleNode node = new ConsoleNode(directory)) {
            List<String> first = greenIndicators(node, 1);
            String token = token(node.store, "alice");
            Optional<String> resumeAt;
            try (FeedClient feed = FeedClient.open(http, node.server.baseUri(), token, Optional.empty())) {
                release(node, first.get(0));
                feed.takeUntil(until(Set.of(), Set.of(first.get(0))));
                resumeAt = feed.lastId();
            }
            // While disconnected: more entries than the tail keeps, every tenth one a partner change the feed does not show.
            int count = LedgerTail.KEPT_ENTRIES + 150;
            List<String> missed = new ArrayList<>();
            List<StixObject> objects = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                String id = ConsoleNode.id("indicator");
                objects.add(StixObject.fromJson(ConsoleSharingApiTest.indicator(id, "Missed C2 " + index, "198.51.100." + (1 + index % 250), TlpMarkings.Tlp.GREEN.id())));
                missed.add(id);
            }
            node.store.addObjects(ConsoleNode.INTEL, objects);
            for (int index = 0; index < count; index++) {
                if (index % 10 == 0) {
                    node.ledger.append(AuditRecords.partnerChange("admin", ConsoleExchangeFixture.BRAVO, "changed " + index));
                }
                node.ledger.append(new AuditRecord(AuditKind.RELEASE, "admin", Optional.of(ConsoleExchangeFixture.BRAVO), List.of(missed.get(index)), List.of(),
                        Optional.of("bundle--" + java.util.UUID.randomUUID()), "released " + index));
            }
            // A new feed has the last one once the tail has read up to it: the entries the first feed stopped after are no longer kept.
            try (FeedClient feed = FeedClient.open(http, node.server.baseUri(), token, Optional.empty())) {
                feed.takeUntil(until(Set.of(), Set.of(missed.get(count - 1))));
            }
            long readsBefore = node.console.ledgerReads();
            try (FeedClient feed = FeedClient.open(http, node.server.baseUri(), token, resumeAt)) {
                List<FeedClient.Message> seen = feed.takeUntil(until(Set.of(), Set.of(missed.get(count - 1))));
                // Exactly what it missed, in order: no gap, no duplicate, not the release it had seen.
                assertThat(FeedClient.exchangeObjectIds(seen, "released")).containsExactlyElementsOf(missed);
                // It read its way up from the ledger itself, a batch at a time, as far as what the tail keeps.
                assertThat(node.console.ledgerReads() - readsBefore).isBetween(1L, (long) (count + count / 10) / LedgerTail.READ_BATCH + 1);
                // Then it follows the tail: the next release comes once.
                String next = greenIndicators(node, 1).get(0);
                release(node, next);
                assertThat(FeedClient.exchangeObjectIds(feed.takeUntil(until(Set.of(), Set.of(next))), "released")).containsExactly(next);
            }
        }
    }

    /** Stops at the message after which every one of {@code stored} came in an object message and every one of {@code released} in an exchange message. */
    private static java.util.function.Predicate<FeedClient.Message> until(Set<String> stored, Set<String> released)
    {
        Set<String> waiting = new java.util.HashSet<>(stored);
        waiting.addAll(released);
        return message -> {
            Set<String> expected = switch (message.event()) {
                case "object" -> stored;
                case "exchange" -> released;
                default -> Set.of();
            };
            waiting.removeIf(id -> expected.contains(id) && message.data().contains(id));
            return waiting.isEmpty();
        };
    }

    private static List<String> greenIndicators(ConsoleNode node, int count)
    {
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            String id = ConsoleNode.id("indicator");
            node.add(ConsoleNode.INTEL, ConsoleSharingApiTest.indicator(id, "Green C2 " + index, "198.51.100." + (index + 1), TlpMarkings.Tlp.GREEN.id()));
            ids.add(id);
        }
        return ids;
    }

    private static void release(ConsoleNode node, String id)
    {
        release(node.exchange, node.store, id);
    }

    private static void release(ExchangeService exchange, ObjectStore store, String id)
    {
        ReleaseResult result = exchange.release(List.of(ReleaseItem.of(object(store, ConsoleNode.INTEL, id), ConsoleNode.INTEL)),
                new ReleaseTargets(List.of(ConsoleExchangeFixture.BRAVO), List.of()), "admin");
        assertThat(result.partners()).singleElement().satisfies(partner -> assertThat(partner.releasedObjectIds()).containsExactly(id));
    }

    private static JsonNode object(ObjectStore store, String collectionId, String id)
    {
        return store.findObjects(collectionId, ObjectQuery.all(1).withIds(List.of(id))).objects().get(0).object().tree();
    }

    @Test
    void aFeedResumesOnAnotherReplicaOfTheSameDatabase()
            throws Exception
    {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            StoreConfig config = database(postgres, "console_feed");
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

    @Test
    void releasesResumeOnAnotherReplicaOfTheSameDatabase()
            throws Exception
    {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            StoreConfig config = database(postgres, "console_releases");
            TickingClock clock = new TickingClock(Instant.parse("2026-03-01T10:00:00Z"));
            try (ExchangeDatabase firstDatabase = ExchangeDatabase.postgresql(config); ExchangeDatabase secondDatabase = ExchangeDatabase.postgresql(config);
                    Replica first = new Replica(ObjectStores.open(config, clock), SearchDatabase.postgresql(config), clock);
                    Replica second = new Replica(ObjectStores.open(config, clock), SearchDatabase.postgresql(config), clock)) {
                first.store.createCollection(CollectionInfo.of(ConsoleNode.INTEL, "Intel"));
                new UserAdministration(first.store, PasswordHasher.withIterations(1_000), clock).createUser("alice", ConsoleNode.PASSWORD, List.of(ConsoleNode.INTEL), List.of(), false);
                ExchangeService firstExchange = first.attach(firstDatabase, clock, true);
                ExchangeService secondExchange = second.attach(secondDatabase, clock, false);
                String token = token(first.store, "alice");
                List<String> released = new ArrayList<>();
                for (int index = 0; index < 5; index++) {
                    String id = ConsoleNode.id("indicator");
                    first.store.addObjects(ConsoleNode.INTEL, List.of(StixObject.fromJson(ConsoleSharingApiTest.indicator(id, "Green C2 " + index, "198.51.100." + (index + 1), TlpMarkings.Tlp.GREEN.id()))));
                    released.add(id);
                }
                Optional<String> resumeAt;
                try (FeedClient feed = FeedClient.open(http, first.server.baseUri(), token, Optional.empty())) {
                    release(firstExchange, first.store, released.get(0));
                    release(secondExchange, second.store, released.get(1));
                    List<FeedClient.Message> seen = feed.takeUntil(until(Set.of(), Set.of(released.get(1))));
                    assertThat(FeedClient.exchangeObjectIds(seen, "released")).containsExactlyElementsOf(released.subList(0, 2));
                    resumeAt = feed.lastId();
                }
                // Released through both replicas while disconnected; the console reconnects to the other replica.
                release(firstExchange, first.store, released.get(2));
                release(secondExchange, second.store, released.get(3));
                try (FeedClient feed = FeedClient.open(http, second.server.baseUri(), token, resumeAt)) {
                    release(firstExchange, first.store, released.get(4));
                    List<FeedClient.Message> seen = feed.takeUntil(until(Set.of(), Set.of(released.get(4))));
                    assertThat(FeedClient.exchangeObjectIds(seen, "released")).containsExactlyElementsOf(released.subList(2, 5));
                }
            }
        }
    }

    /** A new database of the server, as the replicas' store configuration. */
    private static StoreConfig database(EmbeddedPostgres postgres, String name)
            throws java.sql.SQLException
    {
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new StoreConfig(postgres.getJdbcUrl("postgres", name), Optional.of("postgres"), Optional.empty(), 4);
    }

    /** One node process's console over a store on the shared database. */
    private static final class Replica
            implements AutoCloseable
    {
        final ObjectStore store;
        final ConsoleRoutes console;
        final TaxiiServer server;
        final SearchDatabase searchDatabase;
        ExchangeService exchange;

        Replica(ObjectStore store, SearchDatabase searchDatabase, TickingClock clock)
        {
            PasswordHasher hasher = PasswordHasher.withIterations(1_000);
            this.store = new ObservedObjectStore(store, ObjectEvents.create());
            this.searchDatabase = searchDatabase;
            this.console = ConsoleRoutes.create(this.store, ObjectEvents.create(), clock, hasher, ConsoleNode::screener, ConsoleNode.CONFIG, searchDatabase);
            this.server = TaxiiServer.start(TaxiiServerConfig.fromProperties(Map.of("http.port", "0")), this.store, clock, hasher, List.of(console));
        }

        /** Wires an exchange on the shared database into this replica's console; the first one registers the partners. */
        ExchangeService attach(ExchangeDatabase database, TickingClock clock, boolean registerPartners)
        {
            AuditLedger ledger = AuditLedger.create(LedgerStorage.jdbc(database.dataSource()), clock, database::afterCommit);
            PartnerRegistry registry = PartnerRegistry.jdbc(database, ledger, "admin");
            if (registerPartners) {
                ConsoleExchangeFixture.registerPartners(registry);
            }
            exchange = ExchangeService.create(ExchangeConfig.defaults(), new LocalNode(ConsoleExchangeFixture.LOCAL_IDENTITY, ConsoleExchangeFixture.newKey("local")),
                    database, store, registry, ledger, () -> ReleaseDecider.of(ReleasePolicy.fromJson(ConsoleExchangeFixture.POLICY)), clock, new Random(11));
            console.withExchange(new ConsoleExchange(exchange, registry, ledger, () -> { }, ConsoleExchangeFixture.LOCAL_IDENTITY));
            return exchange;
        }

        @Override
        public void close()
        {
            console.close();
            server.close();
            if (exchange != null) {
                exchange.close();
            }
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
