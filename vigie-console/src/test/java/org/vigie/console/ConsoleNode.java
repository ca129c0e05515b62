package org.vigie.console;

import org.sqlite.SQLiteDataSource;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.service.ExchangeConfig;
import org.vigie.exchange.service.ExchangeService;
import org.vigie.exchange.service.LocalNode;
import org.vigie.screening.SanctionsLists;
import org.vigie.screening.Screener;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import org.vigie.taxii.server.TaxiiServer;
import org.vigie.taxii.server.TaxiiServerConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real node for console tests: SQLite store wrapped in {@link ObservedObjectStore}, the TAXII server
 * on 127.0.0.1 with a free port, the console mounted, and three users: alice (reads and writes the
 * intel collection, cleared for TLP:RED), bob (reads only the empty public collection), carol (reads the
 * intel collection, cleared up to TLP:GREEN without handling codes) and admin. Its exchange is real
 * (SQLite {@code exchange.db}, JDBC ledger and partner registry) with two partners registered with
 * real certificates ({@link ConsoleExchangeFixture}) and one trust group; nothing is ever delivered
 * (no delivery round runs), so released envelopes stay queued.
 */
final class ConsoleNode
        implements AutoCloseable
{
    static final String INTEL = "0b9a6f1e-9c57-4e0e-8e41-5a8c1b0f2c11";
    static final String SECRET = "5d2a8f3c-1b7e-4c9d-a6e0-3f4b2c1d0e22";
    static final String PUBLIC = "9e8d7c6b-5a49-4382-b716-0a9b8c7d6e33";
    static final String PASSWORD = "correct horse battery staple";

    /**
     * Alice is cleared for TLP:RED; carol (reads intel) and erin (reads and writes intel) only up to TLP:GREEN without
     * handling codes; bob has the default clearance.
     */
    static final ConsoleConfig CONFIG = ConsoleConfig.fromProperties(Map.of(
            "console.clearance.user.alice.tlp", "red",
            "console.clearance.user.carol.tlp", "green",
            "console.clearance.user.carol.handling", "none",
            "console.clearance.user.erin.tlp", "green",
            "console.clearance.user.erin.handling", "none"));

    private static Screener screener;

    final ObjectEvents events = ObjectEvents.create();
    final ObjectStore store;
    final ExchangeService exchange;
    final AuditLedger ledger;
    final PartnerRegistry registry;
    final AtomicInteger deliveryRequests = new AtomicInteger();
    final ConsoleRoutes console;
    final TaxiiServer server;
    final SearchDatabase searchDatabase;

    ConsoleNode(Path directory)
    {
        TickingClock clock = new TickingClock(Instant.parse("2026-03-01T10:00:00Z"));
        PasswordHasher hasher = PasswordHasher.withIterations(1_000);
        store = new ObservedObjectStore(ObjectStores.sqlite(directory.resolve("vigie.db"), clock), events);
        store.createCollection(CollectionInfo.of(INTEL, "Intel"));
        store.createCollection(CollectionInfo.of(SECRET, "Secret"));
        store.createCollection(CollectionInfo.of(PUBLIC, "Public"));
        UserAdministration users = new UserAdministration(store, hasher, clock);
        users.createUser("alice", PASSWORD, List.of(INTEL), List.of(INTEL), false);
        users.createUser("bob", PASSWORD, List.of(PUBLIC), List.of(), false);
        users.createUser("admin", PASSWORD, List.of(), List.of(), true);
        users.createUser("carol", PASSWORD, List.of(INTEL), List.of(), false);
        users.createUser("erin", PASSWORD, List.of(INTEL), List.of(INTEL), false);
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + directory.resolve("exchange.db"));
        dataSource.setJournalMode("WAL");
        ExchangeDatabase database = ExchangeDatabase.on(dataSource);
        ledger = AuditLedger.create(LedgerStorage.jdbc(database.dataSource()), clock, database::afterCommit);
        registry = PartnerRegistry.jdbc(database, ledger, "admin");
        ConsoleExchangeFixture.registerPartners(registry);
        exchange = ExchangeService.create(ExchangeConfig.defaults(), new LocalNode(ConsoleExchangeFixture.LOCAL_IDENTITY, ConsoleExchangeFixture.newKey("local")),
                database, store, registry, ledger, () -> ReleaseDecider.of(ReleasePolicy.fromJson(ConsoleExchangeFixture.POLICY)), clock, new Random(11));
        searchDatabase = SearchDatabase.sqlite(directory.resolve(SearchDatabase.SQLITE_FILE));
        // Only this process writes the exchange: the ledger's appends wake the live feeds, never a poll.
        console = ConsoleRoutes.create(store, events, clock, hasher, ConsoleNode::screener, CONFIG, searchDatabase)
                .withLedgerPollInterval(java.time.Duration.ofHours(1))
                .withExchange(new ConsoleExchange(exchange, registry, ledger, deliveryRequests::incrementAndGet, ConsoleExchangeFixture.LOCAL_IDENTITY));
        server = TaxiiServer.start(TaxiiServerConfig.fromProperties(Map.of("http.port", "0")), store, clock, hasher, List.of(console));
    }

    static synchronized Screener screener()
    {
        if (screener == null) {
            screener = Screener.create(SanctionsLists.loadShipped());
        }
        return screener;
    }

    URI uri(String path)
    {
        return server.baseUri().resolve(path);
    }

    void add(String collectionId, String... json)
    {
        store.addObjects(collectionId, java.util.Arrays.stream(json).map(StixObject::fromJson).toList());
    }

    static String id(String type)
    {
        return type + "--" + UUID.randomUUID();
    }

    static String named(String id, String name, String extra)
    {
        String type = id.substring(0, id.indexOf("--"));
        return "{\"type\":\"" + type + "\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"" + name + "\"" + extra + "}";
    }

    static String relationship(String source, String type, String target)
    {
        return "{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":\"" + id("relationship") + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"relationship_type\":\"" + type + "\",\"source_ref\":\"" + source + "\",\"target_ref\":\"" + target + "\"}";
    }

    @Override
    public void close()
    {
        console.close();
        server.close();
        searchDatabase.close();
        exchange.close();
        store.close();
    }
}
