package org.vigie.exchange.service;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.testing.NodePairTest;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.exchange.testing.TestObjects.idOf;

/**
 * The receiving node keeps its partner registry parsed between requests; a change made by another process on
 * the same database (as {@code vigie partner add|remove} does while the node serves) is in effect on the
 * partner's very next request: a re-keyed partner's envelopes signed with the old key are refused, a removed
 * partner is not let in.
 */
class PartnerChangeTakesEffectTest
        extends NodePairTest
{
    @BeforeEach
    void firstEnvelopeGoesThrough()
    {
        // The first envelope goes through, so b's registry is loaded and kept before the change.
        a.service().release(List.of(item(1)), ReleaseTargets.partners("b"), "analyst");
        assertThat(a.service().deliverDue().stored()).isEqualTo(1);
    }

    @Test
    void aReKeyedPartnerIsRefusedOnItsNextEnvelope()
    {
        changeRegistryOfBFromAnotherProcess(registry -> {
            Partner known = registry.requirePartner("a");
            registry.putPartner(new Partner(known.id(), known.name(), known.identityId(), known.endpoint(), known.certificateSha256(),
                    TestPartners.newKey("a-new").toPublicJWK()));
        });
        a.service().release(List.of(item(2)), ReleaseTargets.partners("b"), "analyst");

        DeliveryReport report = a.service().deliverDue();

        assertThat(report.stored()).isZero();
        OutboxEntry second = a.service().outbox("b").get(1);
        assertThat(second.state()).isEqualTo(OutboxState.REJECTED);
        assertThat(second.lastError()).hasValueSatisfying(error -> assertThat(error).contains("BAD_SIGNATURE"));
        assertThat(b.inboundIds()).containsExactly(idOf(TestObjects.indicator(1, Tlp.GREEN)));
        assertThat(b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.REJECTION)))).singleElement()
                .satisfies(entry -> assertThat(entry.detail()).contains("BAD_SIGNATURE"));
    }

    @Test
    void aRemovedPartnerIsRefusedOnItsNextRequest()
    {
        changeRegistryOfBFromAnotherProcess(registry -> registry.removePartner("a"));
        a.service().release(List.of(item(2)), ReleaseTargets.partners("b"), "analyst");

        DeliveryReport report = a.service().deliverDue();

        assertThat(report.stored()).isZero();
        OutboxEntry second = a.service().outbox("b").get(1);
        assertThat(second.state()).isNotEqualTo(OutboxState.STORED);
        assertThat(second.lastError()).hasValueSatisfying(error -> assertThat(error).contains("HTTP 401"));
        List<AuditEntry> rejections = b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.REJECTION)));
        assertThat(rejections).singleElement().satisfies(entry -> assertThat(entry.detail()).contains("is not pinned for any partner"));
        assertThat(b.inboundIds()).containsExactly(idOf(TestObjects.indicator(1, Tlp.GREEN)));
    }

    @Test
    void aPartnerAddedBackIsLetInAgainAndItsQueuedEnvelopeArrives()
    {
        Partner known = b.registry().requirePartner("a");
        changeRegistryOfBFromAnotherProcess(registry -> registry.removePartner("a"));
        a.service().release(List.of(item(2)), ReleaseTargets.partners("b"), "analyst");
        assertThat(a.service().deliverDue().stored()).isZero();

        changeRegistryOfBFromAnotherProcess(registry -> registry.putPartner(known));
        clock.advance(Duration.ofMinutes(2));

        assertThat(a.service().deliverDue().stored()).isEqualTo(1);
        assertThat(b.inboundIds()).containsExactly(idOf(TestObjects.indicator(1, Tlp.GREEN)), idOf(TestObjects.indicator(2, Tlp.GREEN)));
    }

    /** Opens b's exchange file a second time, with its own pool and registry, as the CLI does beside the running node. */
    private void changeRegistryOfBFromAnotherProcess(Consumer<PartnerRegistry> change)
    {
        try (ExchangeDatabase database = ExchangeDatabase.sqlite(directory.resolve("b-exchange.db"))) {
            AuditLedger ledger = AuditLedger.create(LedgerStorage.jdbc(database.dataSource()), nodes.clock());
            change.accept(PartnerRegistry.jdbc(database, ledger, "cli:admin"));
        }
    }

    private static ReleaseItem item(int number)
    {
        return ReleaseItem.of(TestObjects.indicator(number, Tlp.GREEN), "intel");
    }
}
