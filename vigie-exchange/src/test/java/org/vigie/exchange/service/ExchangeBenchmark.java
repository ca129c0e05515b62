package org.vigie.exchange.service;

import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.partner.TrustGroupKind;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.testing.ExchangeTestNode;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.NodePair;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measurements, not tests: exchange nodes on 127.0.0.1 with mutual TLS (pinned certificates), Ed25519
 * JWS envelopes and receipts over canonical JSON, SQLite files, as in the node. Run from the repository
 * root after {@code mvn -pl vigie-exchange -am install -DskipTests} and
 * {@code mvn -pl vigie-exchange dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/exchange-cp.txt}:
 * {@code java -cp vigie-exchange/target/classes:vigie-exchange/target/test-classes:$(cat /tmp/exchange-cp.txt) org.vigie.exchange.service.ExchangeBenchmark PART [N...]}
 * where PART is
 * <ul>
 * <li>{@code latency [releases]}: one indicator released at a, then a delivery round right away (as the
 * node's immediate push); time from the release call to b's inbox having stored, verified and committed it
 * (the target's figure), and to a's having b's verified signed receipt "stored" (the round trip)</li>
 * <li>{@code throughput [objects-per-envelope [envelopes]]}: releases one after the other while a second
 * thread delivers (woken by each release, as the node's scheduler); objects per second from the first
 * release to the last receipt</li>
 * <li>{@code fanout [partners [rounds]]}: one indicator released to a trust group of that many simulated
 * nodes, each a full receiving node (own identity, signing key, SQLite files, TLS server; they share one
 * TLS certificate to save keytool runs); time from the release to every partner's receipt</li>
 * <li>{@code catchup [objects [objects-per-envelope]]}: b is down while a releases the objects; then b is
 * back and the time to deliver the whole backlog is measured</li>
 * </ul>
 * Each part also prints the process CPU time it used, which the other tenants of a shared machine do not inflate.
 */
public final class ExchangeBenchmark
{
    private static final String POLICY = "{\"name\":\"bench\",\"rules\":[{\"name\":\"everyone gets green\",\"effect\":\"allow\",\"all_partners\":true,\"max_tlp\":\"green\"}]}";

    private ExchangeBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ExchangeBenchmark latency|throughput|fanout|catchup [N...]");
        }
        Path directory = Files.createTempDirectory("vigie-exchange-bench");
        System.out.printf("exchange benchmark %s: %d processors, Java %s, files in %s%n", args[0], Runtime.getRuntime().availableProcessors(), Runtime.version(), directory);
        long cpuStart = cpuNanos();
        long wallStart = System.nanoTime();
        switch (args[0]) {
            case "latency" -> latency(directory, argument(args, 1, 1_000));
            case "throughput" -> throughput(directory, argument(args, 1, 1_000), argument(args, 2, 40));
            case "fanout" -> fanout(directory, argument(args, 1, 150), argument(args, 2, 3));
            case "catchup" -> catchUp(directory, argument(args, 1, 1_000_000), argument(args, 2, 1_000));
            default -> throw new IllegalArgumentException("unknown part '" + args[0] + "': latency, throughput, fanout or catchup");
        }
        System.out.printf("whole run (set-up included): %.1f s wall, %.1f s process CPU%n", (System.nanoTime() - wallStart) / 1e9, (cpuNanos() - cpuStart) / 1e9);
        // The nodes' server and pool threads would keep the JVM up.
        System.exit(0);
    }

    private static void latency(Path directory, int releases)
            throws Exception
    {
        NodePair nodes = new NodePair(directory, TestCertificates.create(directory, List.of("a", "b")));
        ExchangeTestNode a = nodes.a();
        ExchangeTestNode b = nodes.b();
        // When b's inbox committed the envelope: stored in b's object store, verified, its sequence and receipt committed.
        AtomicLong committedAtB = new AtomicLong();
        ((DefaultExchangeService) b.service()).onInboxCommitted(committedAtB::set);
        int number = 0;
        // Warm-up: JIT, TLS session, SQLite caches.
        for (int index = 0; index < 300; index++) {
            releaseAndDeliver(a, ++number);
        }
        long[] toStored = new long[releases];
        long[] toReceipt = new long[releases];
        long cpu = cpuNanos();
        for (int index = 0; index < releases; index++) {
            long start = System.nanoTime();
            releaseAndDeliver(a, ++number);
            toReceipt[index] = System.nanoTime() - start;
            toStored[index] = committedAtB.get() - start;
        }
        cpu = cpuNanos() - cpu;
        System.out.printf("%d single-indicator releases, %.2f ms process CPU per release (both nodes)%n", releases, cpu / 1e6 / releases);
        System.out.println("release at a -> stored, verified and committed at b: " + percentiles(toStored));
        System.out.println("release at a -> a holds b's verified signed receipt 'stored': " + percentiles(toReceipt));
        check(b, number);
    }

    private static String percentiles(long[] nanos)
    {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms", sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static void releaseAndDeliver(ExchangeTestNode node, int number)
    {
        node.service().release(List.of(item(number)), ReleaseTargets.partners("b"), "bench");
        DeliveryReport report = node.service().deliverDue();
        if (report.stored() != 1) {
            throw new IllegalStateException("release " + number + " not stored: " + report);
        }
    }

    private static void throughput(Path directory, int perEnvelope, int envelopes)
            throws Exception
    {
        NodePair nodes = new NodePair(directory, TestCertificates.create(directory, List.of("a", "b")));
        ExchangeTestNode a = nodes.a();
        ExchangeTestNode b = nodes.b();
        int[] number = {0};
        int warmed = warmUp(a, number, perEnvelope);
        Semaphore released = new Semaphore(0);
        AtomicReference<Exception> failure = new AtomicReference<>();
        int[] stored = {0};
        Thread deliverer = new Thread(() -> {
            try {
                while (stored[0] < envelopes) {
                    released.acquire();
                    released.drainPermits();
                    stored[0] += a.service().deliverDue().stored();
                }
            }
            catch (Exception e) {
                failure.set(e);
            }
        }, "bench-deliverer");
        long cpu = cpuNanos();
        long start = System.nanoTime();
        deliverer.start();
        long releasing = 0;
        for (int index = 0; index < envelopes; index++) {
            long releaseStart = System.nanoTime();
            a.service().release(items(number, perEnvelope), ReleaseTargets.partners("b"), "bench");
            releasing += System.nanoTime() - releaseStart;
            released.release();
        }
        // Wakes the deliverer for what the last round left (a round stops after its batch size).
        while (deliverer.isAlive()) {
            released.release();
            deliverer.join(50);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        cpu = cpuNanos() - cpu;
        long objects = (long) envelopes * perEnvelope;
        System.out.printf("sustained to one partner: %d envelopes of %d indicators (%d objects) released and stored in %.2f s = %.0f objects/s; releasing alone %.2f s; %.1f µs process CPU per object (both nodes)%n",
                envelopes, perEnvelope, objects, seconds, objects / seconds, releasing / 1e9, cpu / 1e3 / objects);
        check(b, warmed + (int) objects);
    }

    private static void fanout(Path directory, int partners, int rounds)
            throws Exception
    {
        long setUp = System.nanoTime();
        TestCertificates certificates = TestCertificates.create(directory, List.of("a", "simulated"));
        MutableClock clock = new MutableClock(Instant.parse("2026-04-01T10:00:00Z"));
        ExchangeTestNode a = new ExchangeTestNode("a", directory, certificates, clock);
        List<ExchangeTestNode> nodes = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int index = 1; index <= partners; index++) {
            String id = String.format("p%03d", index);
            ExchangeTestNode node = new ExchangeTestNode(id, "simulated", TestPartners.newKey(id), directory, certificates, clock);
            node.knows(a);
            a.knows(node);
            nodes.add(node);
            members.add(id);
        }
        a.registry().putGroup(new TrustGroup("forum", "Forum", TrustGroupKind.MULTILATERAL, members));
        a.policy(POLICY);
        System.out.printf("set-up of %d simulated nodes: %.1f s%n", partners, (System.nanoTime() - setUp) / 1e9);
        int number = 0;
        // Warm-up: one TLS connection per partner, JIT.
        for (int index = 0; index < 2; index++) {
            releaseToGroup(a, ++number, partners);
        }
        for (int round = 0; round < rounds; round++) {
            long cpu = cpuNanos();
            long start = System.nanoTime();
            long releaseNanos = releaseToGroup(a, ++number, partners);
            double seconds = (System.nanoTime() - start) / 1e9;
            cpu = cpuNanos() - cpu;
            System.out.printf("one release to %d partners, every one verified, stored and receipted: %.3f s (release: plan, sign, queue %.3f s); %.2f s process CPU (all nodes)%n",
                    partners, seconds, releaseNanos / 1e9, cpu / 1e9);
        }
        for (ExchangeTestNode node : nodes) {
            if (node.inboundIds().size() != number) {
                throw new IllegalStateException("partner " + node.id() + " holds " + node.inboundIds().size() + " indicators, expected " + number);
            }
        }
        System.out.printf("every partner holds the %d indicators released%n", number);
    }

    /** Releases one indicator to the group and delivers until every partner stored it; returns the time of the release call. */
    private static long releaseToGroup(ExchangeTestNode a, int number, int partners)
    {
        long start = System.nanoTime();
        a.service().release(List.of(item(number)), ReleaseTargets.groups("forum"), "bench");
        long releaseNanos = System.nanoTime() - start;
        int stored = 0;
        while (stored < partners) {
            DeliveryReport report = a.service().deliverDue();
            if (report.failed() > 0) {
                throw new IllegalStateException("release " + number + " failed to reach some partners: " + report);
            }
            stored += report.stored();
        }
        return releaseNanos;
    }

    private static void catchUp(Path directory, int objects, int perEnvelope)
            throws Exception
    {
        NodePair nodes = new NodePair(directory, TestCertificates.create(directory, List.of("a", "b")));
        ExchangeTestNode a = nodes.a();
        ExchangeTestNode b = nodes.b();
        int[] number = {0};
        int warmed = warmUp(a, number, perEnvelope);
        b.stopServer();
        long queueing = System.nanoTime();
        int envelopes = (objects + perEnvelope - 1) / perEnvelope;
        for (int index = 0; index < envelopes; index++) {
            int count = Math.min(perEnvelope, objects - index * perEnvelope);
            a.service().release(items(number, count), ReleaseTargets.partners("b"), "bench");
        }
        System.out.printf("outage: %d objects in %d envelopes queued for b in %.1f s%n", objects, envelopes, (System.nanoTime() - queueing) / 1e9);
        b.restartServer();
        long cpu = cpuNanos();
        long start = System.nanoTime();
        int stored = 0;
        int failures = 0;
        while (stored < envelopes) {
            DeliveryReport report = a.service().deliverDue();
            stored += report.stored();
            if (report.failed() > 0) {
                // A failed request (a timeout on a loaded machine) is retried as the node would, after its backoff
                // (the clock is the test's: moved on at once); more than a few means something is wrong.
                OutboxEntry first = a.service().outbox("b").stream().filter(entry -> entry.state() != OutboxState.STORED).findFirst().orElseThrow();
                System.out.printf("a request failed (retried): envelope %d %s: %s%n", first.sequence(), first.state(), first.lastError().orElse(""));
                if (++failures > 5) {
                    throw new IllegalStateException("catch-up failed " + failures + " times: " + report);
                }
                nodes.clock().advance(java.time.Duration.ofMinutes(10));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        cpu = cpuNanos() - cpu;
        System.out.printf("catch-up after the outage: %d objects (%d envelopes) delivered, verified and stored in %.1f s = %.0f objects/s; %.1f µs process CPU per object (both nodes); %d failed request(s) retried%n",
                objects, envelopes, seconds, objects / seconds, cpu / 1e3 / objects, failures);
        check(b, warmed + objects);
    }

    /** JIT, TLS session and SQLite caches warmed with the same shape of work; returns the indicators released. */
    private static int warmUp(ExchangeTestNode a, int[] number, int perEnvelope)
    {
        for (int index = 0; index < 5; index++) {
            a.service().release(items(number, perEnvelope), ReleaseTargets.partners("b"), "bench");
            a.service().deliverDue();
        }
        return number[0];
    }

    private static void check(ExchangeTestNode b, int indicators)
    {
        // The marking-definition of TLP:GREEN travels with the indicators.
        long held = b.store().countObjects(ExchangeConfig.DEFAULT_INBOX_COLLECTION) - 1;
        if (held != indicators) {
            throw new IllegalStateException("partner b holds " + held + " indicators, expected " + indicators);
        }
        System.out.printf("partner b holds all %d indicators released%n", held);
    }

    private static List<ReleaseItem> items(int[] number, int count)
    {
        List<ReleaseItem> items = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            items.add(item(++number[0]));
        }
        return items;
    }

    private static ReleaseItem item(int number)
    {
        return ReleaseItem.of(TestObjects.indicator(number, Tlp.GREEN), "intel");
    }

    private static int argument(String[] args, int index, int defaultValue)
    {
        return args.length > index ? Integer.parseInt(args[index]) : defaultValue;
    }

    private static long cpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
