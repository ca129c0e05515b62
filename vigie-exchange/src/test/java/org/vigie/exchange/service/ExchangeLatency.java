package org.vigie.exchange.service;

import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.testing.ExchangeTestNode;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestObjects;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A measurement, not a test: two nodes on 127.0.0.1 with mutual TLS and SQLite files. Prints the
 * latency from {@code release} of one indicator to its receipt as stored at the partner (release,
 * then one delivery round: sign, outbox, HTTPS push, verify, store, commit, receipt), p50 and p99,
 * and objects per second to one partner in envelopes of {@code batch} indicators. Run from the module
 * directory: {@code java -cp target/classes:target/test-classes:<dependencies> org.vigie.exchange.service.ExchangeLatency [releases [batch [batches]]]}.
 */
public final class ExchangeLatency
{
    private ExchangeLatency() {}

    public static void main(String[] args)
            throws Exception
    {
        int releases = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int batches = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path directory = Files.createTempDirectory("vigie-exchange-latency");
        TestCertificates certificates = TestCertificates.create(directory, List.of("a", "b"));
        MutableClock clock = new MutableClock(Instant.parse("2026-04-01T10:00:00Z"));
        try (ExchangeTestNode a = new ExchangeTestNode("a", directory, certificates, clock);
                ExchangeTestNode b = new ExchangeTestNode("b", directory, certificates, clock)) {
            a.knows(b);
            b.knows(a);
            a.policy("{\"name\":\"p\",\"rules\":[{\"name\":\"b gets amber\",\"effect\":\"allow\",\"partners\":[\"b\"],\"max_tlp\":\"amber\"}]}");
            int number = 0;
            // Warm-up: JIT, TLS session, SQLite caches.
            for (int index = 0; index < 100; index++) {
                releaseOne(a, ++number);
            }
            long[] nanos = new long[releases];
            for (int index = 0; index < releases; index++) {
                long start = System.nanoTime();
                releaseOne(a, ++number);
                nanos[index] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("release -> stored at partner, %d single-indicator releases: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    releases, nanos[releases / 2] / 1e6, nanos[(int) Math.ceil(releases * 0.99) - 1] / 1e6, nanos[releases - 1] / 1e6);

            long start = System.nanoTime();
            for (int round = 0; round < batches; round++) {
                List<ReleaseItem> items = new ArrayList<>();
                for (int index = 0; index < batch; index++) {
                    items.add(ReleaseItem.of(TestObjects.indicator(++number, Tlp.GREEN), "intel"));
                }
                a.service().release(items, ReleaseTargets.partners("b"), "bench");
                DeliveryReport report = a.service().deliverDue();
                if (report.stored() != 1) {
                    throw new IllegalStateException("batch not stored: " + report + " " + a.service().outbox("b").get(a.service().outbox("b").size() - 1));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("throughput to one partner: %d envelopes of %d indicators in %.2f s = %.0f objects/s (release + push + store)%n",
                    batches, batch, seconds, batches * batch / seconds);
            System.out.printf("partner b holds %d objects%n", b.store().countObjects(ExchangeConfig.DEFAULT_INBOX_COLLECTION));
        }
    }

    private static void releaseOne(ExchangeTestNode node, int number)
    {
        node.service().release(List.of(ReleaseItem.of(TestObjects.indicator(number, Tlp.GREEN), "intel")), ReleaseTargets.partners("b"), "bench");
        DeliveryReport report = node.service().deliverDue();
        if (report.stored() != 1) {
            throw new IllegalStateException("release " + number + " not stored: " + report);
        }
    }
}
