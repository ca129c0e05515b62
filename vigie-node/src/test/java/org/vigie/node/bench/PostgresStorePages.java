package org.vigie.node.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;
import org.vigie.store.StoredObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The store's part of the default TAXII page (a measurement, not a test): on the server a {@link PostgresBench}
 * import left in a directory, times {@code findObjects} for 100 objects after a random date added of the
 * largest collection, from 1 and then 8 threads, with no HTTP and no console index to wait for. Arguments: the
 * PostgreSQL directory, the port, requests per thread.
 */
public final class PostgresStorePages
{
    private static final int WARM_UP_REQUESTS = 500;

    private PostgresStorePages() {}

    public static void main(String[] arguments)
            throws Exception
    {
        Path directory = Path.of(arguments[0]).toAbsolutePath();
        int port = Integer.parseInt(arguments[1]);
        int requests = Integer.parseInt(arguments[2]);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory.resolve("data"))
                .setCleanDataDirectory(false)
                .setPort(port);
        PostgresBench.serverSettings(System.getProperties()).forEach(builder::setServerConfig);
        try (EmbeddedPostgres postgres = builder.start();
                ObjectStore store = ObjectStores.open(StoreConfig.fromProperties(Map.of(
                        StoreConfig.URL, "jdbc:postgresql://localhost:" + port + "/postgres",
                        StoreConfig.USER, "postgres",
                        StoreConfig.POOL_SIZE, "8")), Clock.systemUTC())) {
            String collection = null;
            long stored = 0;
            for (CollectionInfo candidate : store.listCollections()) {
                long count = store.countObjects(candidate.id());
                if (count > stored) {
                    collection = candidate.id();
                    stored = count;
                }
            }
            if (collection == null) {
                throw new IllegalStateException("no collection holds objects in " + directory + ": run the PostgresBench import first");
            }
            Instant first = store.findObjects(collection, ObjectQuery.all(1)).objects().get(0).dateAdded();
            Instant last = lastDateAdded(store, collection, first);
            measure(store, collection, first, last, 2, WARM_UP_REQUESTS, stored, "warm-up");
            measure(store, collection, first, last, 1, requests, stored, "1 thread");
            measure(store, collection, first, last, 8, requests, stored, "8 threads");
        }
    }

    /** The last date added, found by halving the interval after {@code first} (the store has no "last" query). */
    private static Instant lastDateAdded(ObjectStore store, String collection, Instant first)
    {
        long low = 0;
        long high = Duration.ofDays(3650).toNanos() / 1_000;
        while (high - low > 1) {
            long middle = (low + high) / 2;
            boolean any = !store.findObjects(collection, ObjectQuery.all(1).withAddedAfter(first.plusNanos(middle * 1_000))).objects().isEmpty();
            if (any) {
                low = middle;
            }
            else {
                high = middle;
            }
        }
        return first.plusNanos(high * 1_000);
    }

    private static void measure(ObjectStore store, String collection, Instant first, Instant last, int threads, int perThread, long stored, String label)
            throws Exception
    {
        long span = Duration.between(first, last).toNanos() / 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                long seed = thread * 7_919L + threads;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    long[] latencies = new long[perThread];
                    for (int request = 0; request < perThread; request++) {
                        Instant after = first.plusNanos(1_000 * (long) (random.nextDouble() * span));
                        long start = System.nanoTime();
                        ObjectPage page = store.findObjects(collection, ObjectQuery.all(100).withAddedAfter(after));
                        latencies[request] = System.nanoTime() - start;
                        if (page.objects().isEmpty() || !page.objects().stream().map(StoredObject::dateAdded).allMatch(added -> added.isAfter(after))) {
                            throw new IllegalStateException("page after " + after + " is empty or starts too early");
                        }
                    }
                    return latencies;
                }));
            }
            long[] all = new long[0];
            for (Future<long[]> future : futures) {
                long[] latencies = future.get();
                long[] joined = Arrays.copyOf(all, all.length + latencies.length);
                System.arraycopy(latencies, 0, joined, all.length, latencies.length);
                all = joined;
            }
            Arrays.sort(all);
            System.out.printf("store page of 100 (%,d objects stored), %s, %,d requests: p50 %.2f ms, p99 %.2f ms, max %.2f ms; load average %s%n",
                    stored, label, all.length, all[all.length / 2] / 1e6, all[(int) Math.ceil(all.length * 0.99) - 1] / 1e6, all[all.length - 1] / 1e6,
                    Files.readString(Path.of("/proc/loadavg")).strip());
        }
        finally {
            pool.shutdownNow();
        }
    }
}
