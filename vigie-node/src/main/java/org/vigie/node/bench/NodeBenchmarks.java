package org.vigie.node.bench;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.generate.StixGenerator;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.node.transfer.BundleImporter;
import org.vigie.node.transfer.ImportListener;
import org.vigie.node.transfer.ImportSummary;
import org.vigie.node.transfer.ObjectChecks;
import org.vigie.stix.Timestamps;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * End-to-end measurements of a node on this machine: import, HTTP ingest, page latency, start time and
 * heap. Each prints its figures to {@code out}; they are measurements, not assertions.
 */
public final class NodeBenchmarks
{
    private static final String TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1";
    private static final String BENCH_USER = "bench";
    private static final int PAGE_WARM_UP_REQUESTS = 500;
    // The console's search indexer thread (SearchIndexer in vigie-console names it so).
    private static final String SEARCH_INDEXER_GROUP = "vigie-console-search-indexer";

    private final PrintStream out;
    private final InstantSource clock;

    public NodeBenchmarks(PrintStream out, InstantSource clock)
    {
        this.out = requireNonNull(out, "out is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Figures of an import: objects per second from the first read to the last commit. */
    public record ImportFigures(long objects, Duration elapsed, String collectionId)
    {
        public double objectsPerSecond()
        {
            return objects / (elapsed.toNanos() / 1e9);
        }
    }

    /**
     * Generates {@code count} objects into {@code workDirectory/bench.json} (not timed), then imports them
     * with full validation into a new collection of the store in {@code workDirectory/data} (timed).
     */
    public ImportFigures importGenerated(Path workDirectory, long count, long seed)
            throws IOException
    {
        Path bundle = workDirectory.resolve("bench-" + count + "-" + seed + ".json");
        if (!Files.exists(bundle)) {
            long generateStart = System.nanoTime();
            try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(bundle), 1 << 16)) {
                StixGenerator.create(seed).writeBundle(stream, count);
            }
            out.printf("generate: %,d objects (%,d MiB) in %.1f s%n", count, Files.size(bundle) >> 20, (System.nanoTime() - generateStart) / 1e9);
        }
        NodeConfig config = NodeConfig.load(workDirectory.resolve("data"), Map.of());
        try (ObjectStore store = NodeStores.open(config, clock)) {
            String collectionId = UUID.randomUUID().toString();
            store.createCollection(CollectionInfo.of(collectionId, "bench import " + count));
            BundleImporter importer = BundleImporter.create(store, ObjectChecks.specification(), config.importBatchSize());
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            WriterCpu writerCpu = new WriterCpu();
            ImportSummary summary = importer.importFiles(collectionId, List.of(bundle), writerCpu);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            if (summary.stored() != count) {
                throw new VigieException(ErrorCode.INTERNAL_ERROR, "bench import stored " + summary.stored() + " of " + count + " objects: " + summary.rejected().stream().limit(3).toList());
            }
            ImportFigures figures = new ImportFigures(count, elapsed, collectionId);
            out.printf("import: %,d objects in %.1f s = %,.0f objects/s; process CPU %.1f s = %,.0f objects per CPU second; writer thread CPU %.1f s = %.1f microseconds per object; load average %s (collection %s, store %s)%n",
                    count, elapsed.toNanos() / 1e9, figures.objectsPerSecond(), cpuSeconds, count / cpuSeconds,
                    writerCpu.nanos / 1e9, writerCpu.nanos / 1e3 / count, loadAverage(), collectionId, config.store().url());
            return figures;
        }
    }

    /**
     * The CPU time of the importer's committing thread, read on that thread after each commit: on a shared
     * machine it says what the single writer costs per object, which the wall clock does not.
     */
    private static final class WriterCpu
            implements ImportListener
    {
        private volatile long nanos;

        @Override
        public void committed(long committed, long stored, long duplicates)
        {
            nanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    }

    /**
     * Starts a node on {@code workDirectory/post-data} and POSTs {@code count} generated objects in
     * envelopes of {@code perRequest}, from {@code clients} concurrent clients; timed from the first request
     * to the last response (every object stored when it returns).
     */
    public double postOverHttp(Path workDirectory, int count, int perRequest, int clients, int warmUp)
            throws Exception
    {
        List<String> envelopes = envelopes(StixGenerator.create(77).next(count), perRequest);
        // Other ids than the measured objects': the warm-up must not turn measured objects into duplicates.
        int warmUpObjects = Math.max(1, warmUp);
        List<String> warmUpEnvelopes = envelopes(StixGenerator.create(78).next(warmUpObjects), perRequest);
        NodeConfig config = NodeConfig.load(workDirectory.resolve("post-data-" + UUID.randomUUID()), Map.of("http.port", "0"));
        try (VigieNode node = VigieNode.start(config, clock, NodeStores::open, PasswordHasher.standard())) {
            String collectionId = node.collections().get(0).id();
            String authorization = benchUser(node);
            URI uri = node.apiRootUri().resolve("collections/" + collectionId + "/objects/");
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(clients)).build();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                // Outside the timing: the credential check, then the warm-up objects (at least one), and the
                // search index's work on them, so that the timed requests do not pay for the warm-up's.
                postAll(pool, http, uri, authorization, warmUpEnvelopes, clients);
                node.awaitConsoleIndex();
                long storedBefore = node.store().countObjects(collectionId);
                Map<Long, ThreadCpu> threadsBefore = threadCpu();
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                postAll(pool, http, uri, authorization, envelopes, clients);
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
                long stored = node.store().countObjects(collectionId) - storedBefore;
                if (stored != count) {
                    throw new VigieException(ErrorCode.INTERNAL_ERROR, "bench post: " + stored + " of " + count + " objects stored");
                }
                double rate = count / seconds;
                out.printf("post: %,d objects in %,d requests of %,d from %d clients in %.1f s = %,.0f objects/s (after a warm-up of %,d); process CPU (server and clients) %.1f s; load average %s%n",
                        count, envelopes.size(), perRequest, clients, seconds, rate, warmUpObjects, cpuSeconds, loadAverage());
                out.printf("post: CPU per object by thread group: %s%n", cpuByThreadGroup(threadsBefore, threadCpu(), count));
                // The search index runs behind the writers and takes the CPU it is given meanwhile, so its share above
                // is not its cost: this is, until it has indexed every timed object.
                node.awaitConsoleIndex();
                double caughtUp = (System.nanoTime() - start) / 1e9 - seconds;
                long indexerCpu = cpuByGroup(threadsBefore, threadCpu()).getOrDefault(SEARCH_INDEXER_GROUP, 0L);
                out.printf("post: search index current %.1f s after the last response; its CPU per object, timed objects indexed: %.1f µs%n",
                        caughtUp, indexerCpu / 1e3 / count);
                return rate;
            }
            finally {
                pool.shutdownNow();
            }
        }
    }

    private static List<String> envelopes(List<String> objects, int perRequest)
    {
        List<String> envelopes = new ArrayList<>();
        for (int from = 0; from < objects.size(); from += perRequest) {
            envelopes.add("{\"objects\":[" + String.join(",", objects.subList(from, Math.min(objects.size(), from + perRequest))) + "]}");
        }
        return envelopes;
    }

    // Each client sends every clients-th envelope, one request at a time.
    private static void postAll(ExecutorService pool, HttpClient http, URI uri, String authorization, List<String> envelopes, int clients)
            throws Exception
    {
        List<Future<?>> futures = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            int first = client;
            futures.add(pool.submit(() -> {
                for (int index = first; index < envelopes.size(); index += clients) {
                    post(http, uri, authorization, envelopes.get(index));
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
    }

    /**
     * The console keeps its search index on disk, current through a background indexer that builds it on the
     * first start over a store (minutes at 1,000,000 objects, on one core) and then follows the store's event
     * log (the import just run); pages are timed once it is current, as on a node that has been running, and
     * the time it took is reported.
     */
    private void awaitConsoleIndex(VigieNode node)
            throws InterruptedException
    {
        long start = System.nanoTime();
        node.awaitConsoleIndex();
        out.printf("console search index: waited %.1f s for it to be current; pages are timed from now%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * Serves the collection a previous import filled (in {@code workDirectory/data}) and measures GET pages
     * of 100 objects at random positions ({@code added_after} drawn between the first and last date added),
     * from one client and from eight.
     */
    public void pageLatency(Path workDirectory, String collectionId, int requestsPerClient)
            throws Exception
    {
        NodeConfig config = NodeConfig.load(workDirectory.resolve("data"), Map.of("http.port", "0"));
        try (VigieNode node = VigieNode.start(config, clock, NodeStores::open, PasswordHasher.standard())) {
            long stored = node.store().countObjects(collectionId);
            Instant first = node.store().findObjects(collectionId, ObjectQuery.all(1)).firstDateAdded()
                    .orElseThrow(() -> new VigieException(ErrorCode.INVALID_ARGUMENT, "collection " + collectionId + " is empty: run the import benchmark first"));
            Instant last = lastDateAdded(node.store(), collectionId, first);
            String authorization = benchUser(node);
            URI objects = node.apiRootUri().resolve("collections/" + collectionId + "/objects/");
            awaitConsoleIndex(node);
            // Warm-up outside the measurement, so that the figures are of compiled code, not of the JIT at work.
            measurePages(objects, authorization, first, last, 2, PAGE_WARM_UP_REQUESTS);
            for (int clients : new int[] {1, 8}) {
                Map<Long, ThreadCpu> threadsBefore = threadCpu();
                long[] collectionsBefore = collections();
                long[] latencies = measurePages(objects, authorization, first, last, clients, requestsPerClient);
                long[] collectionsAfter = collections();
                long serverCpu = cpuByGroup(threadsBefore, threadCpu()).entrySet().stream()
                        // The HTTP server's request threads: the node names its Jetty pool; "qtp" is Jetty's own name.
                        .filter(group -> group.getKey().startsWith("JettyServerThreadPool") || group.getKey().startsWith("qtp"))
                        .mapToLong(Map.Entry::getValue)
                        .sum();
                Arrays.sort(latencies);
                out.printf("get page of 100 (%,d objects stored), %d client%s, %,d requests: p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
                                + " server threads' CPU %.0f µs per request; garbage collections %,d taking %,d ms (server and clients); load average %s%n",
                        stored, clients, clients == 1 ? "" : "s", latencies.length,
                        percentile(latencies, 0.50), percentile(latencies, 0.99), latencies[latencies.length - 1] / 1e6,
                        serverCpu / 1e3 / latencies.length, collectionsAfter[0] - collectionsBefore[0], collectionsAfter[1] - collectionsBefore[1], loadAverage());
            }
        }
    }

    /**
     * Starts {@code vigie serve} in a child JVM on an initialised data directory and measures the time from
     * launching the JVM to the first answered request, then the heap in use after a full GC.
     */
    public void startup(Path workDirectory)
            throws Exception
    {
        Path dataDirectory = workDirectory.resolve("startup-data-" + UUID.randomUUID());
        int port = freePort();
        String password;
        // First start: creates the store and the administrator (a deliberately slow hash); not measured.
        Process first = serve(dataDirectory, port);
        try {
            password = awaitPassword(first);
        }
        finally {
            first.destroy();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        HttpClient http = HttpClient.newHttpClient();
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        long start = System.nanoTime();
        Process second = serve(dataDirectory, port);
        try {
            Duration startTime = awaitHealthy(http, health, start, Duration.ofSeconds(60));
            out.printf("start to first served request: %d ms (JVM launch included); load average %s%n", startTime.toMillis(), loadAverage());
            Process gc = new ProcessBuilder("jcmd", Long.toString(second.pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(30, TimeUnit.SECONDS);
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("Authorization", basic(NodeConfig.DEFAULT_ADMINISTRATOR_NAME, password))
                    .build(), HttpResponse.BodyHandlers.ofString());
            double heap = metrics.body().lines()
                    .filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
            out.printf("heap used after start and a full GC: %.1f MiB%n", heap / (1 << 20));
        }
        finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process serve(Path dataDirectory, int port)
            throws IOException
    {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.vigie.node.cli.Main",
                "serve", "--data-dir", dataDirectory.toString(), "--port", Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static String awaitPassword(Process process)
            throws IOException
    {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String password = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("Password: ")) {
                password = line.substring("Password: ".length()).strip();
            }
            if (line.startsWith("Press Ctrl+C")) {
                break;
            }
        }
        if (password == null) {
            throw new VigieException(ErrorCode.NODE_START_FAILED, "bench startup: the first start printed no administrator password");
        }
        return password;
    }

    private static Duration awaitHealthy(HttpClient http, URI health, long start, Duration timeout)
            throws InterruptedException
    {
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            }
            catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(5);
        }
        throw new VigieException(ErrorCode.NODE_START_FAILED, "bench startup: no answer from " + health + " within " + timeout);
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private long[] measurePages(URI objects, String authorization, Instant first, Instant last, int clients, int requestsPerClient)
            throws Exception
    {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(clients)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            // Warm-up outside the measurement.
            get(http, objects, authorization, first);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                long seed = client;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    long span = Duration.between(first, last).toNanos();
                    long[] latencies = new long[requestsPerClient];
                    for (int i = 0; i < requestsPerClient; i++) {
                        Instant after = first.plusNanos((long) (random.nextDouble() * span * 0.99));
                        long start = System.nanoTime();
                        get(http, objects, authorization, after);
                        latencies[i] = System.nanoTime() - start;
                    }
                    return latencies;
                }));
            }
            long[] all = new long[clients * requestsPerClient];
            int offset = 0;
            for (Future<long[]> future : futures) {
                long[] latencies = future.get();
                System.arraycopy(latencies, 0, all, offset, latencies.length);
                offset += latencies.length;
            }
            return all;
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static void get(HttpClient http, URI objects, String authorization, Instant addedAfter)
            throws IOException, InterruptedException
    {
        URI uri = URI.create(objects + "?limit=100&added_after=" + Timestamps.formatMicros(addedAfter));
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri)
                .header("Accept", TAXII_MEDIA_TYPE)
                .header("Authorization", authorization)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "bench GET " + uri + " answered " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    private static void post(HttpClient http, URI uri, String authorization, String envelope)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                .header("Accept", TAXII_MEDIA_TYPE)
                .header("Content-Type", TAXII_MEDIA_TYPE)
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(envelope))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202 || !response.body().contains("\"failure_count\":0")) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "bench POST answered " + response.statusCode() + ": " + response.body().substring(0, Math.min(500, response.body().length())));
        }
    }

    /** A user with every right, created for the run: its password is only in this process. */
    private String benchUser(VigieNode node)
    {
        String password = UUID.randomUUID().toString();
        String name = BENCH_USER + "-" + UUID.randomUUID().toString().substring(0, 8);
        new UserAdministration(node.store(), PasswordHasher.withIterations(PasswordHasher.MINIMUM_PRODUCTION_ITERATIONS), clock)
                .createUser(name, password, List.of("*"), List.of("*"), false);
        return basic(name, password);
    }

    private static Instant lastDateAdded(ObjectStore store, String collectionId, Instant first)
    {
        // The store pages by date added; skip ahead with added_after in growing steps to find the end cheaply.
        Instant last = first;
        Duration step = Duration.ofSeconds(1);
        while (true) {
            ObjectPage page = store.findObjects(collectionId, ObjectQuery.all(1).withAddedAfter(last.plus(step)));
            if (page.objects().isEmpty()) {
                if (step.compareTo(Duration.ofNanos(1_000)) <= 0) {
                    return last;
                }
                step = step.dividedBy(2);
            }
            else {
                last = page.lastDateAdded().orElseThrow();
                step = step.multipliedBy(2);
            }
        }
    }

    // One thread's CPU time, with its group: the clients run in this process too, so the process's CPU time would
    // count them; per-thread snapshots tell the server's threads apart.
    private record ThreadCpu(String group, long nanos) {}

    /** Garbage collections so far in this JVM and the milliseconds they took, over every collector. */
    private static long[] collections()
    {
        long count = 0;
        long milliseconds = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            milliseconds += Math.max(0, collector.getCollectionTime());
        }
        return new long[] {count, milliseconds};
    }

    private static Map<Long, ThreadCpu> threadCpu()
    {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, ThreadCpu> cpu = new HashMap<>();
        for (ThreadInfo thread : threads.dumpAllThreads(false, false)) {
            // Pool threads differ only by a trailing number: one group per pool.
            String group = thread.getThreadName().replaceAll("[-#]?\\d+$", "");
            cpu.put(thread.getThreadId(), new ThreadCpu(group, Math.max(0, threads.getThreadCpuTime(thread.getThreadId()))));
        }
        return cpu;
    }

    /** The CPU each thread group used between two snapshots, in nanoseconds. */
    private static Map<String, Long> cpuByGroup(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after)
    {
        Map<String, Long> byGroup = new TreeMap<>();
        after.forEach((id, thread) -> {
            ThreadCpu earlier = before.get(id);
            long used = thread.nanos() - (earlier == null ? 0 : earlier.nanos());
            byGroup.merge(thread.group(), used, Long::sum);
        });
        return byGroup;
    }

    /** The CPU each thread group used between two snapshots, in microseconds per object, largest first. */
    private static String cpuByThreadGroup(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, long objects)
    {
        return cpuByGroup(before, after).entrySet().stream()
                .filter(entry -> entry.getValue() >= objects * 100L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(entry -> String.format(java.util.Locale.ROOT, "%s %.1f µs", entry.getKey(), entry.getValue() / 1e3 / objects))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    // The whole process's CPU time: the machine is shared, so wall-clock figures alone can mislead.
    private static long processCpuNanos()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean system) {
            return system.getProcessCpuTime();
        }
        return 0;
    }

    static String loadAverage()
    {
        return String.format(java.util.Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double percentile(long[] sorted, double fraction)
    {
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
