package org.vigie.console;

import org.vigie.stix.BundleReader;
import org.vigie.stix.ParsedObject;
import org.vigie.stix.StixObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What writing the console's search index costs per entry on SQLite (a benchmark, not a test): reads the first
 * COUNT objects of a STIX bundle (as `vigie bench` generates them), makes their index entries
 * ({@link SearchIndex#indexed}) and writes them into a new index file through {@link SearchTables.Writer}, in
 * transactions of 2,000 entries (their entries read ahead 500 at a time, as the indexer does), ROUNDS times on a new file each; prints the writing thread's CPU time per
 * entry (and the wall time) for each round. With {@code each-entry}, the writer's queued word and edge-end
 * changes are written after every entry, as the writer did before it queued them. Command (docs/BENCHMARKS.md):
 * <pre>
 * mvn -B -q -o -pl vigie-console -am install -DskipTests
 * mvn -B -q -o -pl vigie-console dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/vigie-console-test-cp.txt
 * java -cp vigie-console/target/test-classes:vigie-console/target/classes:$(cat /tmp/vigie-console-test-cp.txt) \
 *     org.vigie.console.SearchWriterBenchmark WORK/bench-1000000-1.json 100000 2 [each-entry]
 * </pre>
 */
public final class SearchWriterBenchmark
{
    private static final int PREFETCH = 500;
    private static final String COLLECTION = "c7f1e2d3-4b5a-4968-8776-655443322110";
    private static final int TRANSACTION = 2_000;

    private SearchWriterBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        if (arguments.length < 3) {
            throw new IllegalArgumentException("usage: SearchWriterBenchmark BUNDLE COUNT ROUNDS [each-entry]");
        }
        Path bundle = Path.of(arguments[0]);
        int count = Integer.parseInt(arguments[1]);
        int rounds = Integer.parseInt(arguments[2]);
        boolean eachEntry = arguments.length > 3 && arguments[3].equals("each-entry");
        List<StixObject> objects = read(bundle, count);
        Instant added = Instant.parse("2026-01-01T00:00:00Z");
        List<SearchIndex.Indexed> entries = new ArrayList<>();
        for (StixObject object : objects) {
            SearchIndex.indexed(COLLECTION, object, added).ifPresent(entries::add);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path directory = Files.createTempDirectory("vigie-search-writer");
        for (int round = 0; round < rounds; round++) {
            Path file = directory.resolve("search-" + round + ".db");
            try (SearchDatabase database = SearchDatabase.sqlite(file); Connection connection = database.connection()) {
                SearchTables tables = new SearchTables(database);
                connection.setAutoCommit(false);
                long cpuStart = threads.getCurrentThreadCpuTime();
                long wallStart = System.nanoTime();
                try (SearchTables.Writer writer = tables.writer(connection)) {
                    for (int index = 0; index < entries.size(); index++) {
                        if (index % PREFETCH == 0) {
                            // As the indexer does, a chunk of the event log's objects at a time.
                            writer.prefetch(COLLECTION, entries.subList(index, Math.min(entries.size(), index + PREFETCH)).stream().map(indexed -> indexed.entry().id()).toList());
                        }
                        writer.replace(entries.get(index));
                        if (eachEntry || index % TRANSACTION == TRANSACTION - 1 || index == entries.size() - 1) {
                            writer.finish();
                        }
                        if (index % TRANSACTION == TRANSACTION - 1 || index == entries.size() - 1) {
                            connection.commit();
                        }
                    }
                }
                double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / entries.size();
                double wall = (System.nanoTime() - wallStart) / 1e3 / entries.size();
                System.out.printf(Locale.ROOT, "search writer%s, round %d: %,d entries from %,d objects, %.1f µs CPU per entry (wall %.1f µs)%n",
                        eachEntry ? " (each entry's changes written at once)" : "", round + 1, entries.size(), objects.size(), cpu, wall);
            }
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        }
        Files.deleteIfExists(directory);
    }

    // The first objects of the bundle, read as a stream: bundles of a million objects are large.
    private static List<StixObject> read(Path bundle, int count)
            throws IOException
    {
        List<StixObject> objects = new ArrayList<>();
        try (BundleReader reader = BundleReader.open(Files.newInputStream(bundle))) {
            while (objects.size() < count && reader.hasNext()) {
                ParsedObject parsed = reader.next();
                objects.add(StixObject.fromTree(parsed.tree(), parsed.json()));
            }
        }
        return objects;
    }
}
