package org.vigie.exchange.audit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.exchange.testing.SteppingClock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every {@link LedgerStorage} must give the ledger, tampering included. */
abstract class AuditLedgerContractTest
{
    private static final Instant START = Instant.parse("2026-05-01T08:00:00Z");
    private static final int ENTRIES = 40;
    private static final List<String> PARTNERS = List.of("partner-a", "partner-b", "partner-c");

    protected AuditLedger ledger;

    protected abstract LedgerStorage newStorage();

    /** Replaces the entry stored at this position, bypassing the ledger. */
    protected abstract void replaceAt(long position, AuditEntry entry);

    protected abstract void removeAt(long position);

    protected abstract void swap(long position, long otherPosition);

    @BeforeEach
    void fill()
    {
        ledger = AuditLedger.create(newStorage(), new SteppingClock(START, Duration.ofMinutes(1)));
        Random random = new Random(7);
        for (int i = 0; i < ENTRIES; i++) {
            AuditKind kind = AuditKind.values()[random.nextInt(AuditKind.values().length)];
            String partner = PARTNERS.get(random.nextInt(PARTNERS.size()));
            ledger.append(new AuditRecord(kind, "analyst-" + random.nextInt(3), Optional.of(partner),
                    List.of("indicator--" + new java.util.UUID(random.nextLong(), random.nextLong())), List.of("TLP:AMBER", "H" + random.nextInt(4)),
                    Optional.of("envelope--" + new java.util.UUID(random.nextLong(), random.nextLong())), "entry " + (i + 1)));
        }
    }

    @Test
    void untouchedLedgerVerifies()
    {
        LedgerVerification verification = ledger.verify();

        assertThat(verification.valid()).as(verification.explanation()).isTrue();
        assertThat(verification.entriesChecked()).isEqualTo(ENTRIES);
        assertThat(verification.head()).isEqualTo(ledger.head());
        assertThat(ledger.verify(ledger.head().orElseThrow()).valid()).isTrue();
    }

    @Test
    void entriesChainTheirHashes()
    {
        List<AuditEntry> entries = ledger.read(1, ENTRIES);

        assertThat(entries).hasSize(ENTRIES);
        assertThat(entries.get(0).previousHash()).isEqualTo(AuditEntry.GENESIS_HASH);
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).sequence()).isEqualTo(i + 1);
            assertThat(entries.get(i).previousHash()).isEqualTo(entries.get(i - 1).hash());
            assertThat(entries.get(i).hash()).isEqualTo(entries.get(i).computeHash());
        }
    }

    @Test
    void alteringAnyEntryFailsAtThatEntry()
    {
        for (long sequence : List.of(1L, 17L, (long) ENTRIES)) {
            AuditEntry original = ledger.read(sequence, 1).get(0);
            replaceAt(sequence, withDetail(original, "nothing was released", original.hash()));

            assertFailsAt(ledger.verify(), LedgerProblem.ALTERED, sequence);
            replaceAt(sequence, original);
            assertThat(ledger.verify().valid()).isTrue();
        }
    }

    @Test
    void alteringAndRehashingAnEntryFailsAtThatEntry()
    {
        AuditEntry original = ledger.read(23, 1).get(0);
        AuditEntry forged = withDetail(original, "nothing was released", "");
        replaceAt(23, forged.withHash(forged.computeHash()));

        assertFailsAt(ledger.verify(), LedgerProblem.ALTERED, 23);
    }

    @Test
    void rewritingTheNewestEntryIsCaughtByTheAnchor()
    {
        LedgerAnchor anchor = ledger.head().orElseThrow();
        AuditEntry original = ledger.read(ENTRIES, 1).get(0);
        AuditEntry forged = withDetail(original, "nothing was released", "");
        replaceAt(ENTRIES, forged.withHash(forged.computeHash()));

        assertThat(ledger.verify().valid()).isTrue();
        assertFailsAt(ledger.verify(anchor), LedgerProblem.ALTERED, ENTRIES);
    }

    @Test
    void removingAnEntryFailsAtThatEntry()
    {
        removeAt(12);

        assertFailsAt(ledger.verify(), LedgerProblem.REMOVED, 12);
    }

    @Test
    void removingTheNewestEntryIsCaughtByTheAnchor()
    {
        LedgerAnchor anchor = ledger.head().orElseThrow();
        removeAt(ENTRIES);

        assertFailsAt(ledger.verify(anchor), LedgerProblem.REMOVED, ENTRIES);
    }

    @Test
    void swappingTwoEntriesFailsAtTheFirst()
    {
        swap(30, 31);

        assertFailsAt(ledger.verify(), LedgerProblem.REORDERED, 30);
    }

    @Test
    void swappingDistantEntriesFailsAtTheFirst()
    {
        swap(5, 35);

        assertFailsAt(ledger.verify(), LedgerProblem.REORDERED, 5);
    }

    @Test
    void randomAlterationsAndSwapsAreFoundAtTheirEntry()
    {
        Random random = new Random(20261122);
        for (int round = 0; round < 25; round++) {
            long sequence = 1 + random.nextInt(ENTRIES);
            AuditEntry original = ledger.read(sequence, 1).get(0);
            AuditEntry forged = withDetail(original, original.detail() + " (edited)", original.hash());
            // Re-hashing hides the change from the entry itself but not from its successor (or the anchor, for the newest).
            boolean rehash = random.nextBoolean() && sequence < ENTRIES;
            replaceAt(sequence, rehash ? forged.withHash(forged.computeHash()) : forged);
            assertFailsAt(ledger.verify(), LedgerProblem.ALTERED, sequence);
            replaceAt(sequence, original);

            long first = 1 + random.nextInt(ENTRIES - 1);
            long second = first + 1 + random.nextInt((int) (ENTRIES - first));
            swap(first, second);
            assertFailsAt(ledger.verify(), LedgerProblem.REORDERED, first);
            swap(first, second);
            assertThat(ledger.verify().valid()).isTrue();
        }
    }

    @Test
    void queriesAnswerWhatWasReleasedToWhomWhen()
    {
        List<AuditEntry> all = ledger.read(1, ENTRIES);
        AuditEntry sample = all.get(9);
        Instant from = START.plus(Duration.ofMinutes(5));
        Instant to = START.plus(Duration.ofMinutes(25));

        List<AuditEntry> releases = ledger.query(AuditQuery.all().withPartner("partner-b").withKinds(Set.of(AuditKind.RELEASE)).between(from, to));
        List<AuditEntry> expected = all.stream()
                .filter(entry -> entry.partnerId().equals(Optional.of("partner-b")) && entry.kind() == AuditKind.RELEASE)
                .filter(entry -> !entry.timestamp().isBefore(from) && entry.timestamp().isBefore(to))
                .toList();
        assertThat(releases).isEqualTo(expected);
        assertThat(ledger.query(AuditQuery.all().withObject(sample.objectIds().get(0)))).containsExactly(sample);
    }

    @Test
    void appendsContinueTheChainAfterReopening()
    {
        AuditEntry next = ledger.append(new AuditRecord(AuditKind.POLICY_CHANGE, "admin", Optional.empty(), List.of(), List.of(), Optional.empty(), "policy v2"));

        assertThat(next.sequence()).isEqualTo(ENTRIES + 1);
        assertThat(next.previousHash()).isEqualTo(ledger.read(ENTRIES, 1).get(0).hash());
        assertThat(ledger.verify().valid()).isTrue();
    }

    private static AuditEntry withDetail(AuditEntry entry, String detail, String hash)
    {
        return new AuditEntry(entry.sequence(), entry.timestamp(), entry.kind(), entry.actor(), entry.partnerId(), entry.objectIds(), entry.handling(),
                entry.envelopeId(), detail, entry.previousHash(), hash);
    }

    private static void assertFailsAt(LedgerVerification verification, LedgerProblem problem, long sequence)
    {
        assertThat(verification.valid()).isFalse();
        assertThat(verification.problem()).as(verification.explanation()).contains(problem);
        assertThat(verification.firstBadSequence()).as(verification.explanation()).hasValue(sequence);
    }
}
