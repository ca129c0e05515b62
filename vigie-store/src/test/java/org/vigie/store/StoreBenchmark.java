package org.vigie.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.vigie.stix.StixObject;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Measures (not a test): addObjects throughput of generated small objects into a fresh SQLite file, then the
 * latency of 100-object page queries over the full store. Arguments: directory, object count, batch size,
 * and optionally {@code postgresql} to measure an embedded PostgreSQL server instead of SQLite.
 */
public final class StoreBenchmark
{
    private static final String COLLECTION = "e4a3c2b1-0000-4000-8000-00000000b001";
    private static final List<String> TYPES = List.of("indicator", "malware", "tool", "attack-pattern", "campaign");

    private StoreBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        Path directory = Path.of(arguments.length > 0 ? arguments[0] : "target/bench");
        int count = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 1_000_000;
        int batchSize = arguments.length > 2 ? Integer.parseInt(arguments[2]) : 50_000;
        boolean postgresql = arguments.length > 3 && arguments[3].equals("postgresql");
        Files.createDirectories(directory);
        Path file = directory.resolve("bench-" + System.nanoTime() + ".db");
        EmbeddedPostgres postgres = postgresql ? EmbeddedPostgres.builder().setDataDirectory(directory.resolve("postgresql-" + System.nanoTime())).start() : null;
        try (ObjectStore store = postgresql
                ? ObjectStores.open(new StoreConfig(postgres.getJdbcUrl("postgres", "postgres"), Optional.of("postgres"), Optional.empty(), 4), InstantSource.system())
                : ObjectStores.sqlite(file, InstantSource.system())) {
            System.out.println(postgresql ? "store: embedded PostgreSQL" : "store: SQLite " + file);
            store.createCollection(CollectionInfo.of(COLLECTION, "bench"));
            long storeNanos = 0;
            long storeCpuNanos = 0;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            List<String> sampleIds = new ArrayList<>();
            for (int start = 0; start < count; start += batchSize) {
                List<StixObject> batch = new ArrayList<>(batchSize);
                for (int number = start; number < Math.min(count, start + batchSize); number++) {
                    String id = TestObjects.deterministicId(TYPES.get(number % TYPES.size()), number);
                    // Every tenth object gets a second version, so "last" has something to filter.
                    Instant modified = Instant.parse("2023-01-01T00:00:00Z").plusMillis(number);
                    batch.add(TestObjects.version(id, Instant.parse("2022-01-01T00:00:00Z"), modified, "2.1", "object " + number));
                    if (number % 1_000 == 0) {
                        sampleIds.add(id);
                    }
                }
                long begin = System.nanoTime();
                long beginCpu = threads.getCurrentThreadCpuTime();
                store.addObjects(COLLECTION, batch);
                storeNanos += System.nanoTime() - begin;
                storeCpuNanos += threads.getCurrentThreadCpuTime() - beginCpu;
            }
            System.out.printf("added %,d objects in batches of %,d: %.1f s in addObjects, %,.0f objects/s%n",
                    count, batchSize, storeNanos / 1e9, count / (storeNanos / 1e9));
            // The machine is shared: CPU time of the calling thread (which runs SQLite too) says what the store costs.
            System.out.printf("addObjects thread CPU time %.1f s: %,.0f objects per CPU second%n", storeCpuNanos / 1e9, count / (storeCpuNanos / 1e9));
            if (!postgresql) {
                System.out.printf("database file: %,d MB%n", (Files.size(file) + sizeOrZero(Path.of(file + "-wal"))) / 1_000_000);
            }

            ObjectPage firstPage = store.findObjects(COLLECTION, ObjectQuery.all(1));
            Instant first = firstPage.objects().get(0).dateAdded();
            long span = StoreText.toMicros(store.findObjects(COLLECTION, ObjectQuery.all(1).withAddedAfter(first)).objects().get(0).dateAdded())
                    - StoreText.toMicros(first);
            Random random = new Random(42);
            long totalSpan = span * count;
            measure("default query (last version, latest spec), 100 per page, random added_after", 2_000, () -> {
                Instant after = StoreText.fromMicros(StoreText.toMicros(first) + (long) (random.nextDouble() * totalSpan * 0.99));
                check(store.findObjects(COLLECTION, ObjectQuery.all(100).withAddedAfter(after)).objects().size() == 100);
            });
            measure("paging by cursor from the start, 100 per page", 2_000, new Runnable()
            {
                private ObjectQuery query = ObjectQuery.all(100);

                @Override
                public void run()
                {
                    ObjectPage page = store.findObjects(COLLECTION, query);
                    check(!page.objects().isEmpty());
                    // Start again at the end of the collection.
                    query = page.next().map(next -> query.withNext(next)).orElse(ObjectQuery.all(100));
                }
            });
            measure("type filter (one type), 100 per page, random added_after", 2_000, () -> {
                Instant after = StoreText.fromMicros(StoreText.toMicros(first) + (long) (random.nextDouble() * totalSpan * 0.9));
                check(store.findObjects(COLLECTION, ObjectQuery.all(100).withTypes(List.of(TYPES.get(random.nextInt(TYPES.size())))).withAddedAfter(after))
                        .objects().size() == 100);
            });
            measure("id filter (one id), all versions", 2_000, () ->
                    check(store.findObjects(COLLECTION, ObjectQuery.all(100).withIds(List.of(sampleIds.get(random.nextInt(sampleIds.size()))))
                            .withVersions(VersionFilter.ALL)).objects().size() == 1));
        }
        finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static void measure(String name, int iterations, Runnable query)
    {
        for (int warmUp = 0; warmUp < 200; warmUp++) {
            query.run();
        }
        long[] nanos = new long[iterations];
        for (int iteration = 0; iteration < iterations; iteration++) {
            long begin = System.nanoTime();
            query.run();
            nanos[iteration] = System.nanoTime() - begin;
        }
        Arrays.sort(nanos);
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d queries)%n", name,
                nanos[iterations / 2] / 1e6, nanos[iterations * 99 / 100] / 1e6, nanos[iterations - 1] / 1e6, iterations);
    }

    private static void check(boolean condition)
    {
        if (!condition) {
            throw new IllegalStateException("benchmark query returned an unexpected page");
        }
    }

    private static long sizeOrZero(Path path)
            throws java.io.IOException
    {
        return Files.exists(path) ? Files.size(path) : 0;
    }
}
