package org.vigie.console;

import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.service.ReleaseTargets;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.store.ObjectQuery;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one release costs a node with many open live feeds (a benchmark, not a test): a console node
 * ({@link ConsoleNode}, SQLite) with FEEDS open feeds (alice, carol and admin in turn) takes RELEASES releases of
 * OBJECTS green indicators each to one partner, one at a time, each awaited in every feed; prints the process CPU
 * time (server and the feeds' clients, same process) and the wall time per release, from the release call until
 * the last feed has it. Command (docs/BENCHMARKS.md):
 * <pre>
 * mvn -B -q -o -pl vigie-console -am install -DskipTests
 * mvn -B -q -o -pl vigie-console dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/vigie-console-test-cp.txt
 * java -cp vigie-console/target/test-classes:vigie-console/target/classes:$(cat /tmp/vigie-console-test-cp.txt) \
 *     org.vigie.console.FeedReleaseBenchmark 100 30 10
 * </pre>
 */
public final class FeedReleaseBenchmark
{
    private FeedReleaseBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        int feedCount = wholeNumber(arguments, 0, 100);
        int releases = wholeNumber(arguments, 1, 30);
        int objects = wholeNumber(arguments, 2, 10);
        int warmUp = 5;
        Path directory = Files.createTempDirectory("vigie-feed-release");
        HttpClient http = HttpClient.newHttpClient();
        try (ConsoleNode node = new ConsoleNode(directory)) {
            List<List<String>> released = new ArrayList<>();
            for (int release = 0; release < warmUp + releases; release++) {
                List<String> ids = new ArrayList<>();
                for (int index = 0; index < objects; index++) {
                    String id = ConsoleNode.id("indicator");
                    node.add(ConsoleNode.INTEL, ConsoleSharingApiTest.indicator(id, "Green C2 " + release + "." + index, "198.51.100." + (1 + index % 250),
                            TlpMarkings.Tlp.GREEN.id()));
                    ids.add(id);
                }
                released.add(ids);
            }
            UserAdministration users = new UserAdministration(node.store, PasswordHasher.withIterations(1_000), new TickingClock(Instant.parse("2026-03-01T12:00:00Z")));
            List<String> names = List.of("alice", "carol", "admin");
            List<FeedClient> feeds = new ArrayList<>();
            try {
                for (int index = 0; index < feedCount; index++) {
                    FeedClient feed = FeedClient.open(http, node.server.baseUri(), users.createToken(names.get(index % names.size())).token(), Optional.empty());
                    feed.takeUntil(message -> message.event().equals("cursor"));
                    feeds.add(feed);
                }
                for (int release = 0; release < warmUp; release++) {
                    releaseAndAwait(node, feeds, released.get(release));
                }
                long lookupsBefore = node.console.releaseLookups();
                long cpuBefore = processCpuNanoseconds();
                long wallBefore = System.nanoTime();
                for (int release = warmUp; release < warmUp + releases; release++) {
                    releaseAndAwait(node, feeds, released.get(release));
                }
                double cpu = (processCpuNanoseconds() - cpuBefore) / 1e6 / releases;
                double wall = (System.nanoTime() - wallBefore) / 1e6 / releases;
                System.out.printf(Locale.ROOT, "%d open feeds, %d releases of %d objects: process CPU %.1f ms per release, wall %.1f ms per release, %.2f store lookups per release%n",
                        feedCount, releases, objects, cpu, wall, (double) (node.console.releaseLookups() - lookupsBefore) / releases);
            }
            finally {
                for (FeedClient feed : feeds) {
                    feed.close();
                }
            }
        }
        finally {
            try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void releaseAndAwait(ConsoleNode node, List<FeedClient> feeds, List<String> ids)
            throws InterruptedException
    {
        List<ReleaseItem> items = new ArrayList<>();
        for (String id : ids) {
            items.add(ReleaseItem.of(node.store.findObjects(ConsoleNode.INTEL, ObjectQuery.all(1).withIds(List.of(id))).objects().get(0).object().tree(), ConsoleNode.INTEL));
        }
        node.exchange.release(items, new ReleaseTargets(List.of(ConsoleExchangeFixture.BRAVO), List.of()), "admin");
        String last = ids.get(ids.size() - 1);
        for (FeedClient feed : feeds) {
            feed.takeUntil(message -> message.event().equals("exchange") && message.data().contains(last));
        }
    }

    private static long processCpuNanoseconds()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int wholeNumber(String[] arguments, int index, int otherwise)
    {
        return arguments.length > index ? Integer.parseInt(arguments[index]) : otherwise;
    }
}
