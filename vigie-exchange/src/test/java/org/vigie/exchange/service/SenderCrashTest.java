package org.vigie.exchange.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.testing.ExchangeTestNode;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sending node is a separate JVM killed with SIGKILL in the middle of releasing and pushing; reopened
 * on its files, it delivers the rest: the partner ends with every committed release, in sequence order,
 * each stored once.
 */
class SenderCrashTest
{
    @TempDir
    Path directory;

    @Test
    void aSenderKilledMidwayDeliversEverythingCommittedInOrderOnceAfterRestart()
            throws Exception
    {
        TestCertificates certificates = TestCertificates.create(directory, List.of("a", "b"));
        MutableClock clock = new MutableClock(Instant.parse("2026-04-01T10:00:00Z"));
        var keyOfA = TestPartners.newKey("a");
        Files.writeString(directory.resolve("a.jwk"), keyOfA.toJSONString());
        try (ExchangeTestNode b = new ExchangeTestNode("b", directory, certificates, clock)) {
            // Set up a's registry on its files, then hand the files to the other process.
            try (ExchangeTestNode a = new ExchangeTestNode("a", keyOfA, directory, certificates, clock)) {
                a.knows(b);
                b.knows(a);
            }

            Process sender = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SenderProcess.class.getName(), directory.toString(), "200")
                    .redirectError(directory.resolve("sender.err").toFile())
                    .start();
            int released = 0;
            try (BufferedReader output = new BufferedReader(new InputStreamReader(sender.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while (released < 30 && (line = output.readLine()) != null) {
                    if (line.startsWith("released ")) {
                        released = Integer.parseInt(line.substring("released ".length()));
                    }
                }
                sender.destroyForcibly();
                assertThat(sender.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(released).as("releases reported before the kill; stderr: %s", Files.readString(directory.resolve("sender.err"))).isEqualTo(30);

            try (ExchangeTestNode a = new ExchangeTestNode("a", keyOfA, directory, certificates, clock)) {
                a.policy(SenderProcess.POLICY);
                List<OutboxEntry> outbox = a.service().outbox("b");
                for (int round = 0; round < 10 && a.service().outbox("b").stream().anyMatch(entry -> entry.state() != OutboxState.STORED); round++) {
                    clock.advance(Duration.ofMinutes(5));
                    a.service().deliverDue();
                }

                List<OutboxEntry> delivered = a.service().outbox("b");
                assertThat(delivered).hasSizeGreaterThanOrEqualTo(released).hasSize(outbox.size());
                assertThat(delivered).extracting(OutboxEntry::state).containsOnly(OutboxState.STORED);
                assertThat(delivered).extracting(OutboxEntry::sequence).containsExactlyElementsOf(LongStream.rangeClosed(1, delivered.size()).boxed().toList());
                List<AuditEntry> receipts = b.ledger().query(AuditQuery.all().withKinds(Set.of(AuditKind.RECEIPT)));
                assertThat(receipts).extracting(AuditEntry::detail).containsExactlyElementsOf(
                        LongStream.rangeClosed(1, delivered.size()).mapToObj(sequence -> "sequence " + sequence + ", 0 reference(s) withheld by the sender").toList());
                assertThat(b.inboundIds()).containsExactlyElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, delivered.size()).mapToObj(number -> TestObjects.id("indicator", number)).toList());
            }
        }
    }
}
