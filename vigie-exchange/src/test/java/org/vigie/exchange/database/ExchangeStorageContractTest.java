package org.vigie.exchange.database;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.service.DeliveryReport;
import org.vigie.exchange.service.ExchangeConfig;
import org.vigie.exchange.service.ExchangeService;
import org.vigie.exchange.service.LocalNode;
import org.vigie.exchange.service.OutboxEntry;
import org.vigie.exchange.service.ReleaseTargets;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestDatabase;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import com.nimbusds.jose.jwk.OctetKeyPair;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchange's storage as replicas share it: two processes' worth of services, each on its own
 * connection pool to one database, release concurrently and deliver under leases. Runs on SQLite and on
 * PostgreSQL; subclasses say which.
 */
abstract class ExchangeStorageContractTest
{
    private static final String POLICY = "{\"name\":\"p\",\"rules\":[{\"name\":\"all green\",\"effect\":\"allow\",\"all_partners\":true,\"max_tlp\":\"green\"}]}";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T10:00:00Z"));
    private final OctetKeyPair localKey = TestPartners.newKey("a");
    private final List<AutoCloseable> resources = new ArrayList<>();
    private TestDatabase database;
    private ObjectStore store;

    protected abstract TestDatabase newDatabase();

    @BeforeEach
    void open()
    {
        database = newDatabase();
        store = ObjectStores.inMemory(clock);
    }

    @AfterEach
    void close()
            throws Exception
    {
        for (int index = resources.size() - 1; index >= 0; index--) {
            resources.get(index).close();
        }
        store.close();
        database.close();
    }

    /** What one replica opens: its own pool, ledger, registry and service on the shared database. */
    private record Replica(ExchangeDatabase database, AuditLedger ledger, PartnerRegistry registry, DeliveryLeases leases, ExchangeService service) {}

    private Replica replica(String owner)
    {
        ExchangeDatabase opened = database.open();
        AuditLedger ledger = AuditLedger.create(LedgerStorage.jdbc(opened.dataSource()), clock);
        PartnerRegistry registry = PartnerRegistry.jdbc(opened, ledger, "admin");
        DeliveryLeases leases = DeliveryLeases.on(opened, owner, LEASE, clock);
        ExchangeService service = ExchangeService.create(ExchangeConfig.defaults(), new LocalNode(TestPartners.identityOf("a"), localKey), opened, store, registry, ledger,
                () -> ReleaseDecider.of(ReleasePolicy.fromJson(POLICY)), clock, new Random(11), leases);
        resources.add(service);
        return new Replica(opened, ledger, registry, leases, service);
    }

    @Test
    public void concurrentReleasesThroughTwoReplicasKeepEverySequenceAndTheLedgerChain()
            throws Exception
    {
        Replica first = replica("replica-1");
        Replica second = replica("replica-2");
        first.registry().putPartner(TestPartners.partner("b", TestPartners.newKey("b")));
        int perReplica = 15;
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Replica replica : List.of(first, second)) {
                int offset = replica == first ? 0 : perReplica;
                done.add(threads.submit(() -> {
                    for (int index = 0; index < perReplica; index++) {
                        replica.service().release(List.of(ReleaseItem.of(TestObjects.indicator(offset + index, Tlp.GREEN), "intel")), ReleaseTargets.partners("b"), "analyst");
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        finally {
            threads.shutdownNow();
        }

        List<OutboxEntry> outbox = second.service().outbox("b");
        assertThat(outbox).extracting(OutboxEntry::sequence).containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * perReplica).boxed().toList());
        assertThat(outbox).flatExtracting(OutboxEntry::objectIds).doesNotHaveDuplicates().hasSize(2 * perReplica);
        assertThat(first.ledger().verify().valid()).isTrue();
        assertThat(second.ledger().query(AuditQuery.all().withKinds(java.util.Set.of(AuditKind.RELEASE)))).hasSize(2 * perReplica);
    }

    @Test
    public void oneOwnerHoldsALeaseUntilItExpiresOrIsGivenBack()
    {
        DeliveryLeases first = replica("replica-1").leases();
        DeliveryLeases second = replica("replica-2").leases();

        assertThat(first.acquire("b")).isTrue();
        assertThat(second.acquire("b")).isFalse();
        assertThat(second.acquire("c")).isTrue();
        clock.advance(LEASE.minusSeconds(1));
        // Renewal moves the expiry on from now.
        assertThat(first.acquire("b")).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(second.acquire("b")).isFalse();
        assertThat(first.lease("b").orElseThrow().expires()).isEqualTo(clock.instant().plus(LEASE).minusSeconds(2));

        clock.advance(LEASE);
        assertThat(second.acquire("b")).isTrue();
        assertThat(first.acquire("b")).isFalse();
        second.release("b");
        assertThat(first.acquire("b")).isTrue();
        assertThat(first.lease("b").orElseThrow().owner()).isEqualTo("replica-1");
    }

    @Test
    public void aReplicaThatDiesHoldingALeaseIsTakenOverOnceItExpires()
    {
        Replica dead = replica("replica-1");
        Replica survivor = replica("replica-2");
        dead.registry().putPartner(TestPartners.partner("b", TestPartners.newKey("b")));
        survivor.service().release(List.of(ReleaseItem.of(TestObjects.indicator(1, Tlp.GREEN), "intel")), ReleaseTargets.partners("b"), "analyst");
        // Replica 1 took the lease and died before pushing or giving it back.
        assertThat(dead.leases().acquire("b")).isTrue();

        DeliveryReport blocked = survivor.service().deliverDue();
        clock.advance(LEASE);
        DeliveryReport takenOver = survivor.service().deliverDue();

        assertThat(blocked.attempted()).isZero();
        // Partner b (b.example, no TLS key configured) cannot be reached: the attempt is what shows the takeover.
        assertThat(takenOver.attempted()).isEqualTo(1);
        assertThat(survivor.service().outbox("b")).singleElement().satisfies(entry -> assertThat(entry.attempts()).isEqualTo(1));
        // Given back after the round, so the next round of any replica may take it.
        assertThat(dead.leases().acquire("b")).isTrue();
    }

    @Test
    public void theSchemaIsMigratedOnceAndReopensUnchanged()
    {
        replica("replica-1").registry().putPartner(TestPartners.partner("b", TestPartners.newKey("b")));

        Replica reopened = replica("replica-2");

        assertThat(reopened.registry().partners()).extracting(partner -> partner.id()).containsExactly("b");
        assertThat(database.text("SELECT COUNT(*) FROM " + ExchangeDatabase.HISTORY_TABLE + " WHERE success = " + trueLiteral() + " AND version = '1'")).isEqualTo("1");
    }

    /** How the database spells a boolean in SQL text (Flyway's history column type differs per vendor). */
    protected abstract String trueLiteral();
}
