package org.vigie.exchange.service;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.junit.jupiter.api.Test;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestDatabase;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of one node on one PostgreSQL database (store and exchange), each following the store's event
 * log: every change written to the store is queued once per holder, never twice, and the ledger's chain holds.
 */
class ReplicaFollowerTest
{
    private static final String COLLECTION = "intel";
    private static final int OBJECTS = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String POLICY = "{\"name\":\"a\",\"rules\":[{\"name\":\"b up to amber\",\"effect\":\"allow\",\"partners\":[\"b\"],\"max_tlp\":\"amber\"}]}";

    @Test
    void replicasFollowingOneStoreQueueEachChangeOnce()
    {
        MutableClock clock = new MutableClock(Instant.parse("2026-04-01T10:00:00Z"));
        OctetKeyPair key = TestPartners.newKey("a");
        try (TestDatabase database = TestDatabase.postgresql()) {
            StoreConfig storeConfig = database.storeConfig().orElseThrow();
            try (Replica first = new Replica(database.open(), ObjectStores.open(storeConfig, clock), key, clock);
                    Replica second = new Replica(database.open(), ObjectStores.open(storeConfig, clock), key, clock)) {
                first.registry.putPartner(TestPartners.partner("b", TestPartners.newKey("b")));
                first.store.createCollection(CollectionInfo.of(COLLECTION, "Intel"));
                for (int number = 1; number <= OBJECTS; number++) {
                    write(first.store, TestObjects.indicator(number, "2026-04-01T09:00:00.000Z", Tlp.GREEN));
                }
                first.service.releaseCollection(COLLECTION, ReleaseTargets.partners("b"), "analyst");
                Subscription followingFirst = first.follow();
                Subscription followingSecond = second.follow();

                // Each object narrowed twice, written through either replica: to AMBER (b still allowed: the new
                // version), then to AMBER+STRICT (no longer allowed: a recall).
                for (int number = 1; number <= OBJECTS; number++) {
                    Replica writer = number % 2 == 0 ? first : second;
                    write(writer.store, TestObjects.indicator(number, "2026-04-01T10:00:00.000Z", Tlp.AMBER));
                    write(writer.store, TestObjects.indicator(number, "2026-04-01T11:00:00.000Z", Tlp.AMBER_STRICT));
                }
                awaitFollowed(followingFirst, first.store.events().end());
                awaitFollowed(followingSecond, first.store.events().end());

                List<OutboxEntry> outbox = first.service.outbox("b");
                Map<String, List<EnvelopeKind>> perObject = new TreeMap<>();
                for (OutboxEntry entry : outbox.subList(1, outbox.size())) {
                    assertThat(entry.objectIds()).hasSize(1);
                    perObject.computeIfAbsent(entry.objectIds().get(0), id -> new ArrayList<>()).add(entry.kind());
                }
                assertThat(outbox.get(0).objectIds()).hasSize(OBJECTS);
                assertThat(perObject).hasSize(OBJECTS);
                assertThat(perObject.values()).allSatisfy(kinds -> assertThat(kinds).containsExactly(EnvelopeKind.RELEASE, EnvelopeKind.RECALL));
                assertThat(first.ledger.verify().valid()).isTrue();
            }
        }
    }

    private static void write(ObjectStore store, tools.jackson.databind.node.ObjectNode object)
    {
        store.addObjects(COLLECTION, List.of(StixObject.fromJson(StixJson.compact(object))));
    }

    /** Polls until the follower has handled every event up to {@code end}, or fails at the deadline. */
    private static void awaitFollowed(Subscription follower, Cursor end)
    {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!end.positions().entrySet().stream().allMatch(entry -> follower.position().position(entry.getKey()).orElse(0) >= entry.getValue())) {
            assertThat(follower.failure()).as("the follower failed").isEmpty();
            assertThat(System.nanoTime()).as("the follower reaches " + end + " within " + DEADLINE).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** One replica: its own connections to the shared database, its own store, ledger, registry and service. */
    private static final class Replica
            implements AutoCloseable
    {
        private final ObjectStore store;
        private final AuditLedger ledger;
        private final PartnerRegistry registry;
        private final ExchangeService service;
        private final List<Subscription> followers = new ArrayList<>();

        Replica(ExchangeDatabase database, ObjectStore store, OctetKeyPair key, MutableClock clock)
        {
            this.store = store;
            this.ledger = AuditLedger.create(LedgerStorage.jdbc(database.dataSource()), clock);
            this.registry = PartnerRegistry.jdbc(database, ledger, "admin");
            this.service = ExchangeService.create(ExchangeConfig.defaults(), new LocalNode(TestPartners.identityOf("a"), key), database, store, registry, ledger,
                    () -> ReleaseDecider.of(ReleasePolicy.fromJson(POLICY)), clock, new Random(1));
        }

        Subscription follow()
        {
            Subscription follower = service.followStore(store.events(), () -> {});
            followers.add(follower);
            return follower;
        }

        @Override
        public void close()
        {
            followers.forEach(Subscription::close);
            service.close();
            store.close();
        }
    }
}
