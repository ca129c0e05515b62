package org.vigie.store;

import org.vigie.stix.StixObject;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link SqliteCrashSafetyTest}: writes numbered batches to an SQLite store and prints
 * {@code ACK &lt;batch&gt;} after each addObjects call returns, until killed or, given a count, until that many
 * batches are written.
 */
public final class CrashWriter
{
    static final String COLLECTION = "7d5e2f3a-0c1b-4e6f-9a8b-1c2d3e4f5a6b";

    private CrashWriter() {}

    public static void main(String[] arguments)
    {
        Path file = Path.of(arguments[0]);
        int firstBatch = Integer.parseInt(arguments[1]);
        int batchSize = Integer.parseInt(arguments[2]);
        try (ObjectStore store = ObjectStores.sqlite(file, InstantSource.system())) {
            if (store.findCollection(COLLECTION).isEmpty()) {
                store.createCollection(CollectionInfo.of(COLLECTION, "crash"));
            }
            System.out.println("READY");
            System.out.flush();
            // Without a count, writes until killed.
            int end = arguments.length > 3 ? firstBatch + Integer.parseInt(arguments[3]) : Integer.MAX_VALUE;
            for (int batch = firstBatch; batch < end; batch++) {
                store.addObjects(COLLECTION, batch(batch, batchSize));
                System.out.println("ACK " + batch);
                System.out.flush();
            }
        }
    }

    static List<StixObject> batch(int batch, int batchSize)
    {
        List<StixObject> objects = new ArrayList<>(batchSize);
        for (int index = 0; index < batchSize; index++) {
            long number = (long) batch * batchSize + index;
            objects.add(TestObjects.version(TestObjects.deterministicId("indicator", number), Instant.parse("2022-01-01T00:00:00Z").plusMillis(number), "batch " + batch));
        }
        return objects;
    }
}
