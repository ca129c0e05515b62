package org.vigie.exchange.service;

import org.junit.jupiter.api.BeforeEach;
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

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.exchange.testing.TestObjects.idOf;

/**
 * Catch-up after an outage over real mutual TLS: the receiver's own count of inbox requests shows that
 * several envelopes travel per request (and several requests are in flight), and when one envelope of a
 * batch is rejected, what precedes it is stored, nothing after it is stored out of order, and once it is
 * sent intact everything is stored exactly once, in sequence order.
 */
class CatchUpBatchingTest
        extends NodePairTest
{
    private static final Map<String, String> FOUR_PER_REQUEST = Map.of(ExchangeConfig.ENVELOPES_PER_REQUEST, "4", ExchangeConfig.REQUESTS_IN_FLIGHT, "2");

    @BeforeEach
    void fourEnvelopesPerRequest()
    {
        a.restart(FOUR_PER_REQUEST);
    }

    @Test
    void severalEnvelopesTravelInOneRequestCountedByTheReceiver()
    {
        List<String> released = queueDuringOutage(10);
        InboxStatistics before = b.service().inboxStatistics();

        DeliveryReport report = a.service().deliverDue();

        assertThat(report.stored()).isEqualTo(10);
        InboxStatistics after = b.service().inboxStatistics();
        // Ten envelopes, four per request: three requests reached b's inbox, not ten.
        assertThat(after.requests() - before.requests()).isEqualTo(3);
        assertThat(after.envelopes() - before.envelopes()).isEqualTo(10);
        assertThat(after.storedEnvelopes() - before.storedEnvelopes()).isEqualTo(10);
        assertThat(b.inboundIds()).containsExactlyElementsOf(released);
        assertThat(receiptSequences()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aPartlyRejectedBatchStoresWhatPrecedesTheRejectionAndLaterEverythingOnceInOrder()
    {
        List<String> released = queueDuringOutage(10);
        // Envelope 6 is altered on its way (its signature no longer verifies): it travels in the second request.
        String intact = outboxEnvelope(6);
        setOutboxEnvelope(6, tamper(intact));

        DeliveryReport first = a.service().deliverDue();

        assertThat(first.stored()).isEqualTo(5);
        List<OutboxEntry> outbox = a.service().outbox("b");
        assertThat(outbox.subList(0, 5)).extracting(OutboxEntry::state).containsOnly(OutboxState.STORED);
        assertThat(outbox.get(5).state()).isEqualTo(OutboxState.REJECTED);
        assertThat(outbox.get(5).lastError()).hasValueSatisfying(error -> assertThat(error).contains("BAD_SIGNATURE"));
        // Sent behind the rejected one, refused for it, not tried on their own merits: no attempt counted.
        assertThat(outbox.subList(6, 10)).extracting(OutboxEntry::state).containsOnly(OutboxState.PENDING);
        assertThat(outbox.subList(6, 10)).extracting(OutboxEntry::attempts).containsOnly(0);
        assertThat(b.inboundIds()).containsExactlyElementsOf(released.subList(0, 5));
        assertThat(b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.REJECTION)))).extracting(AuditEntry::detail)
                .anySatisfy(detail -> assertThat(detail).contains("BAD_SIGNATURE"));

        setOutboxEnvelope(6, intact);
        clock.advance(Duration.ofMinutes(2));
        DeliveryReport second = a.service().deliverDue();

        assertThat(second.stored()).isEqualTo(5);
        assertThat(a.service().outbox("b")).extracting(OutboxEntry::state).containsOnly(OutboxState.STORED);
        assertThat(b.inboundIds()).containsExactlyElementsOf(released);
        assertThat(receiptSequences()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        for (String objectId : released) {
            assertThat(b.store().findObjects(ExchangeConfig.DEFAULT_INBOX_COLLECTION, ObjectQuery.all(10).withIds(List.of(objectId)).withVersions(VersionFilter.ALL))
                    .objects()).hasSize(1);
            assertThat(b.service().provenance(objectId)).hasSize(1);
        }
        assertThat(b.ledger().verify().valid()).isTrue();
    }

    /** Releases one indicator per envelope while b is down; returns their ids in release order. */
    private List<String> queueDuringOutage(int envelopes)
    {
        b.stopServer();
        List<String> released = new ArrayList<>();
        for (int number = 1; number <= envelopes; number++) {
            a.service().release(List.of(ReleaseItem.of(TestObjects.indicator(number, Tlp.GREEN), "intel")), ReleaseTargets.partners("b"), "analyst");
            released.add(idOf(TestObjects.indicator(number, Tlp.GREEN)));
        }
        assertThat(a.service().deliverDue().stored()).isZero();
        b.restartServer();
        clock.advance(Duration.ofSeconds(5));
        return released;
    }

    /** The sequences of b's RECEIPT ledger entries, in ledger order. */
    private List<Long> receiptSequences()
    {
        return b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT))).stream()
                .map(entry -> Long.parseLong(entry.detail().split("[ ,:]")[1]))
                .toList();
    }

    private String outboxEnvelope(long sequence)
    {
        return a.database().read("read envelope " + sequence, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT envelope FROM vigie_exchange_outbox WHERE partner_id = 'b' AND sequence = ?")) {
                statement.setLong(1, sequence);
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    return rows.getString(1);
                }
            }
        });
    }

    private void setOutboxEnvelope(long sequence, String jws)
    {
        a.database().inTransaction("replace envelope " + sequence, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE vigie_exchange_outbox SET envelope = ? WHERE partner_id = 'b' AND sequence = ?")) {
                statement.setString(1, jws);
                statement.setLong(2, sequence);
                assertThat(statement.executeUpdate()).isEqualTo(1);
            }
            return null;
        });
    }

    /** The same compact JWS with one character of its signature changed. */
    private static String tamper(String jws)
    {
        int position = jws.lastIndexOf('.') + 10;
        char replacement = jws.charAt(position) == 'A' ? 'B' : 'A';
        return jws.substring(0, position) + replacement + jws.substring(position + 1);
    }
}
