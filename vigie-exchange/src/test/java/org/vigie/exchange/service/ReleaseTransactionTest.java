package org.vigie.exchange.service;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A release commits plan, signatures, outbox rows and ledger entries together, or nothing; and retry timing. */
class ReleaseTransactionTest
{
    private static final String POLICY = "{\"name\":\"p\",\"rules\":[{\"name\":\"all green\",\"effect\":\"allow\",\"all_partners\":true,\"max_tlp\":\"green\"}]}";

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T10:00:00Z"));
    private final AtomicBoolean failReleaseEntries = new AtomicBoolean();
    private ObjectStore store;
    private AuditLedger ledger;
    private ExchangeService service;

    @BeforeEach
    void open()
    {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + directory.resolve("exchange.db"));
        dataSource.setJournalMode("WAL");
        ExchangeDatabase database = ExchangeDatabase.on(dataSource);
        LedgerStorage jdbc = LedgerStorage.jdbc(database.dataSource());
        // Fails the second release entry of a release, as a full disk would halfway through.
        LedgerStorage failing = new LedgerStorage()
        {
            private int releaseEntries;

            @Override
            public Optional<AuditEntry> last()
            {
                return jdbc.last();
            }

            @Override
            public void append(AuditEntry entry)
            {
                if (failReleaseEntries.get() && entry.kind() == AuditKind.RELEASE && ++releaseEntries == 2) {
                    throw new VigieException(ErrorCode.AUDIT_LEDGER_BROKEN, "cannot append entry " + entry.sequence() + ": disk full");
                }
                jdbc.append(entry);
            }

            @Override
            public List<AuditEntry> read(long fromPosition, int limit)
            {
                return jdbc.read(fromPosition, limit);
            }
        };
        ledger = AuditLedger.create(failing, clock);
        PartnerRegistry registry = PartnerRegistry.jdbc(database, ledger, "admin");
        registry.putPartner(TestPartners.partner("b", TestPartners.newKey("b")));
        registry.putPartner(TestPartners.partner("c", TestPartners.newKey("c")));
        store = ObjectStores.inMemory(clock);
        service = ExchangeService.create(ExchangeConfig.defaults().withRetry(Duration.ofSeconds(1), Duration.ofSeconds(60)),
                new LocalNode(TestPartners.identityOf("a"), TestPartners.newKey("a")), database, store, registry, ledger,
                () -> ReleaseDecider.of(ReleasePolicy.fromJson(POLICY)), clock, new Random(7));
    }

    @AfterEach
    void close()
    {
        service.close();
        store.close();
    }

    @Test
    void aReleaseThatFailsHalfwayLeavesNoOutboxRowAndNoLedgerEntry()
    {
        List<ReleaseItem> items = List.of(ReleaseItem.of(TestObjects.indicator(1, Tlp.GREEN), "intel"));
        failReleaseEntries.set(true);

        assertThatThrownBy(() -> service.release(items, ReleaseTargets.partners("b", "c"), "analyst"))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUDIT_LEDGER_BROKEN));

        assertThat(service.outbox("b")).isEmpty();
        assertThat(service.outbox("c")).isEmpty();
        assertThat(ledger.query(AuditQuery.all().withKinds(Set.of(AuditKind.RELEASE)))).isEmpty();
        assertThat(ledger.verify().valid()).isTrue();

        failReleaseEntries.set(false);
        ReleaseResult result = service.release(items, ReleaseTargets.partners("b", "c"), "analyst");

        // Sequence numbers were not consumed by the failed attempt.
        assertThat(result.partners()).extracting(release -> release.sequence().getAsLong()).containsExactly(1L, 1L);
        assertThat(service.outbox("b")).singleElement().satisfies(entry -> {
            assertThat(entry.state()).isEqualTo(OutboxState.PENDING);
            assertThat(entry.envelopeId()).isEqualTo(result.partner("b").orElseThrow().envelopeId().orElseThrow());
        });
        assertThat(ledger.query(AuditQuery.all().withKinds(Set.of(AuditKind.RELEASE)))).extracting(entry -> entry.partnerId().orElseThrow()).containsExactly("b", "c");
    }

    @Test
    void retriesBackOffExponentiallyWithJitterUpToTheMaximum()
    {
        DefaultExchangeService implementation = (DefaultExchangeService) service;
        for (int attempts = 1; attempts <= 12; attempts++) {
            long delay = Math.min(60_000, 1_000L << (attempts - 1));
            for (int sample = 0; sample < 50; sample++) {
                assertThat(implementation.backoff(attempts).toMillis()).isBetween(delay - delay / 2, delay);
            }
        }
        // Jitter spreads retries: fifty draws of one step are not all equal.
        assertThat(java.util.stream.IntStream.range(0, 50).mapToLong(index -> implementation.backoff(4).toMillis()).distinct().count()).isGreaterThan(10);
    }

    @Test
    void anUnreachablePartnerIsRetriedOnlyWhenDueAndTheErrorIsKept()
    {
        // Partner b's endpoint (b.example) does not resolve and no TLS key is configured: the attempt fails before any network.
        service.release(List.of(ReleaseItem.of(TestObjects.indicator(1, Tlp.GREEN), "intel")), ReleaseTargets.partners("b"), "analyst");

        DeliveryReport first = service.deliverDue();
        OutboxEntry entry = service.outbox("b").get(0);

        assertThat(first.failed()).isEqualTo(1);
        assertThat(entry.lastError().orElseThrow()).contains("exchange.tls.keystore");
        assertThat(entry.nextAttempt()).isBetween(clock.instant().plusMillis(500), clock.instant().plusMillis(1_000));
        assertThat(service.deliverDue().attempted()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(service.deliverDue().attempted()).isEqualTo(1);
        assertThat(service.outbox("b").get(0).attempts()).isEqualTo(2);
    }
}
