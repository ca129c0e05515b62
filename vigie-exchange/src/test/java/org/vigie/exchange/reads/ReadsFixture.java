package org.vigie.exchange.reads;

import org.sqlite.SQLiteDataSource;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import org.vigie.taxii.server.TaxiiServer;
import org.vigie.taxii.server.TaxiiServerConfig;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real node for partner-read tests: SQLite object store, exchange database with registry and
 * ledger, a TAXII server on 127.0.0.1 (TLS with client certificates when given), partner reads under
 * a policy the test sets.
 */
final class ReadsFixture
        implements AutoCloseable
{
    static final PasswordHasher FAST_HASHER = PasswordHasher.withIterations(1_000);
    static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final ObjectStore store;
    final ExchangeDatabase database;
    final AuditLedger ledger;
    final PartnerRegistry registry;
    final AtomicReference<ReleasePolicy> policy = new AtomicReference<>(ReleasePolicy.denyAll());
    final AtomicReference<MarkingResolver> resolver = new AtomicReference<>(MarkingResolver.of(List.of(), Map.of()));
    final PolicyPartnerReads reads;
    final TaxiiServer server;

    ReadsFixture(Path directory, Map<String, String> serverProperties, Map<String, String> userPartners)
    {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + directory.resolve("exchange.db"));
        dataSource.setJournalMode("WAL");
        dataSource.setBusyTimeout(10_000);
        database = ExchangeDatabase.on(dataSource);
        ledger = AuditLedger.create(LedgerStorage.jdbc(database.dataSource()), clock);
        registry = PartnerRegistry.jdbc(database, ledger, "admin");
        store = ObjectStores.sqlite(directory.resolve("store.db"), clock);
        MarkingResolver delegating = new MarkingResolver()
        {
            @Override
            public java.util.Optional<JsonNode> markingDefinition(String markingId)
            {
                return resolver.get().markingDefinition(markingId);
            }

            @Override
            public java.util.Optional<String> originPartner(String objectId)
            {
                return resolver.get().originPartner(objectId);
            }
        };
        reads = PolicyPartnerReads.create(store, registry, () -> ReleaseDecider.of(policy.get()), delegating, ledger, database, clock, userPartners);
        server = TaxiiServer.start(TaxiiServerConfig.fromProperties(serverProperties), store, clock, FAST_HASHER, List.of(), reads);
    }

    /** Server properties for TLS with the named key, requiring a client certificate the named truststore trusts. */
    static Map<String, String> mutualTls(TestCertificates certificates, String name)
    {
        return Map.of(
                "http.port", "0",
                "http.tls.keystore", certificates.keystore(name).toString(),
                "http.tls.keystore-password", TestCertificates.PASSWORD,
                "http.tls.truststore", certificates.truststore(name).toString(),
                "http.tls.truststore-password", TestCertificates.PASSWORD,
                "http.tls.client-auth", "need");
    }

    String baseUri()
    {
        return server.baseUri().toString();
    }

    void collection(String id)
    {
        store.createCollection(CollectionInfo.of(id, "collection " + id));
    }

    void add(String collectionId, List<? extends JsonNode> objects)
    {
        store.addObjects(collectionId, objects.stream().map(object -> StixObject.fromTree(object, StixJson.compact(object))).toList());
    }

    void user(String name, String password)
    {
        new UserAdministration(store, FAST_HASHER, clock).createUser(name, password, List.of("*"), List.of("*"), false);
    }

    List<AuditEntry> ledgerEntries()
    {
        return ledger.read(0, 10_000);
    }

    @Override
    public void close()
    {
        server.close();
        store.close();
    }
}
