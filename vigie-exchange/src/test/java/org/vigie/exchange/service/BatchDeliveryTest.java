package org.vigie.exchange.service;

import org.junit.jupiter.api.Test;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.testing.NodePairTest;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.store.ObjectQuery;
import org.vigie.store.VersionFilter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.exchange.testing.TestObjects.idOf;

/**
 * A partner that was away gets its queued envelopes several per request, stored and committed
 * together, still in order, with a recall in the middle applied in its place, and a failure of the
 * receiving transaction leaves the whole request uncommitted for the retry.
 */
class BatchDeliveryTest
        extends NodePairTest
{
    @Test
    void queuedEnvelopesArriveInOrderWithTheRecallAppliedInItsPlace()
    {
        b.stopServer();
        List<String> released = new ArrayList<>();
        for (int number = 1; number <= 6; number++) {
            a.service().release(List.of(item(number)), ReleaseTargets.partners("b"), "analyst");
            released.add(idOf(TestObjects.indicator(number, Tlp.GREEN)));
        }
        a.service().recall(released.get(1), "withdrawn", "analyst");
        for (int number = 7; number <= 9; number++) {
            a.service().release(List.of(item(number)), ReleaseTargets.partners("b"), "analyst");
            released.add(idOf(TestObjects.indicator(number, Tlp.GREEN)));
        }
        assertThat(a.service().deliverDue().failed()).isEqualTo(1);
        b.restartServer();
        clock.advance(Duration.ofSeconds(5));

        DeliveryReport report = a.service().deliverDue();

        assertThat(report.stored()).isEqualTo(10);
        assertThat(a.service().outbox("b")).extracting(OutboxEntry::state).containsOnly(OutboxState.STORED);
        assertThat(a.service().outbox("b")).extracting(entry -> entry.receipt().orElseThrow().sequence().getAsLong())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        List<AuditEntry> receipts = b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT)));
        assertThat(receipts).extracting(AuditEntry::detail).allSatisfy(detail -> assertThat(detail).startsWith("sequence "));
        assertThat(receipts).extracting(entry -> Long.parseLong(entry.detail().split("[ ,:]")[1])).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        List<String> expected = new ArrayList<>(released);
        expected.remove(1);
        assertThat(b.inboundIds()).containsExactlyElementsOf(expected);
        assertThat(b.service().provenance(released.get(1)).get(0).recalled()).isPresent();
        assertThat(a.service().recallStatus(released.get(1))).singleElement().satisfies(acknowledgement -> assertThat(acknowledgement.acknowledged()).isTrue());
        assertThat(b.ledger().verify().valid()).isTrue();
    }

    @Test
    void aFailedGroupCommitLeavesTheWholeRequestForTheRetryAndKeepsOneCopy()
    {
        b.stopServer();
        for (int number = 1; number <= 4; number++) {
            a.service().release(List.of(item(number)), ReleaseTargets.partners("b"), "analyst");
        }
        a.service().deliverDue();
        b.restartServer();
        b.failNextReceipt();
        clock.advance(Duration.ofSeconds(5));

        DeliveryReport failed = a.service().deliverDue();

        assertThat(failed.stored()).isZero();
        // Only the provenance, committed before the store write, is kept: the retry finds it and keeps one row per version.
        assertThat(b.service().provenance(idOf(TestObjects.indicator(1, Tlp.GREEN)))).extracting(ReceivedObject::partnerId).containsExactly("a");
        assertThat(b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT)))).isEmpty();

        clock.advance(Duration.ofSeconds(10));
        DeliveryReport retried = a.service().deliverDue();

        assertThat(retried.stored()).isEqualTo(4);
        assertThat(b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT)))).hasSize(4);
        assertThat(b.inboundIds()).hasSize(4);
        assertThat(b.service().provenance(idOf(TestObjects.indicator(1, Tlp.GREEN)))).extracting(ReceivedObject::partnerId).containsExactly("a");
        // Stored before the failed commit and again on the retry: still one version each.
        for (int number = 1; number <= 4; number++) {
            assertThat(b.store().findObjects(ExchangeConfig.DEFAULT_INBOX_COLLECTION, ObjectQuery.all(10).withIds(List.of(idOf(TestObjects.indicator(number, Tlp.GREEN))))
                    .withVersions(VersionFilter.ALL)).objects()).hasSize(1);
        }
    }

    private static ReleaseItem item(int number)
    {
        return ReleaseItem.of(TestObjects.indicator(number, Tlp.GREEN), "intel");
    }
}
