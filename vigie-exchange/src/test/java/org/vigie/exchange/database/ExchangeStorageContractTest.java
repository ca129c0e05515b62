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

    @Test
    public void bulkProvenanceAnswersWhatOneLookupPerObjectAnswersAcrossChunks()
    {
        Replica replica = replica("replica-1");
        // More ids than one query takes (500), some received twice (two versions, two partners), some recalled, some never received.
        List<String> asked = new ArrayList<>();
        replica.database().inTransaction("record received objects", connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement("INSERT INTO vigie_exchange_received_object "
                    + "(object_id, object_version, partner_id, envelope_id, handling, marking_ids, received_at, recalled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int index = 0; index < 1_200; index++) {
                    String objectId = String.format("indicator--00000000-0000-4000-8000-%012d", index);
                    asked.add(objectId);
                    if (index % 7 == 3) {
                        continue;
                    }
                    int versions = index % 5 == 0 ? 2 : 1;
                    for (int version = 0; version < versions; version++) {
                        statement.setString(1, objectId);
                        statement.setString(2, "2026-04-0" + (version + 1) + "T00:00:00.000Z");
                        statement.setString(3, version == 0 ? "b" : "c");
                        statement.setString(4, "envelope--" + index + "-" + version);
                        statement.setString(5, version == 0 ? "[\"H2\"]" : "[]");
                        statement.setString(6, "[]");
                        // Received in an order unlike the ids', so that the answer's order is the query's doing.
                        statement.setLong(7, 1_000_000L * (version + 1) - index);
                        if (index % 11 == 0) {
                            statement.setLong(8, 5_000_000L);
                        }
                        else {
                            statement.setNull(8, java.sql.Types.BIGINT);
                        }
                        statement.addBatch();
                    }
                }
                statement.executeBatch();
            }
            return null;
        });
        asked.add("indicator--ffffffff-0000-4000-8000-000000000000");
        // Asked in reverse and twice: the answer holds each received object once, in id order.
        List<String> reversed = new ArrayList<>(asked);
        java.util.Collections.reverse(reversed);
        reversed.addAll(asked.subList(0, 10));

        java.util.SortedMap<String, List<org.vigie.exchange.service.ReceivedObject>> bulk = replica.service().provenance(reversed);

        java.util.SortedMap<String, List<org.vigie.exchange.service.ReceivedObject>> oneByOne = new java.util.TreeMap<>();
        for (String objectId : asked) {
            List<org.vigie.exchange.service.ReceivedObject> received = replica.service().provenance(objectId);
            if (!received.isEmpty()) {
                oneByOne.put(objectId, received);
            }
        }
        assertThat(oneByOne).hasSize(1_200 - 171);
        assertThat(bulk).containsExactlyEntriesOf(oneByOne);
        assertThat(bulk.get(asked.get(0))).extracting(org.vigie.exchange.service.ReceivedObject::partnerId).containsExactly("b", "c");
        assertThat(bulk.get(asked.get(0)).get(0).handling()).containsExactly("H2");
        assertThat(bulk.get(asked.get(0)).get(0).recalled()).contains(Instant.ofEpochMilli(5_000_000L));
        assertThat(replica.service().provenance(List.of())).isEmpty();
    }

    @Test
    public void appendListenersHearOfEachCommittedTransactionOnceAndNeverOfARollback()
    {
        ExchangeDatabase opened = database.open();
        AuditLedger ledger = AuditLedger.create(LedgerStorage.jdbc(opened.dataSource()), clock, opened::afterCommit);
        AuditLedger reader = AuditLedger.create(LedgerStorage.jdbc(database.open().dataSource()), clock);
        List<Long> heard = new ArrayList<>();
        // What another connection reads when told: the committed head, never an entry still inside its transaction.
        ledger.addAppendListener(() -> heard.add(reader.head().map(org.vigie.exchange.audit.LedgerAnchor::sequence).orElse(0L)));

        opened.inTransaction("append three entries", connection -> {
            for (int index = 0; index < 3; index++) {
                ledger.append(org.vigie.exchange.audit.AuditRecords.policyChange("admin", ReleasePolicy.fromJson(POLICY)));
            }
            assertThat(heard).as("nothing is announced before the commit").isEmpty();
            return null;
        });
        assertThat(heard).containsExactly(3L);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> opened.inTransaction("append, then fail", connection -> {
            ledger.append(org.vigie.exchange.audit.AuditRecords.policyChange("admin", ReleasePolicy.fromJson(POLICY)));
            throw new IllegalStateException("rolled back on purpose");
        })).hasMessageContaining("on purpose");
        assertThat(heard).as("a rolled back append is never announced").containsExactly(3L);

        // Outside a transaction each append commits on its own, and is announced at once.
        ledger.append(org.vigie.exchange.audit.AuditRecords.policyChange("admin", ReleasePolicy.fromJson(POLICY)));
        assertThat(heard).containsExactly(3L, 4L);
    }

    /** How the database spells a boolean in SQL text (Flyway's history column type differs per vendor). */
    protected abstract String trueLiteral();
}
