package org.vigie.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class SqliteObjectStoreTest
        extends ObjectStoreContractTest
{
    @TempDir
    Path directory;

    private int stores;

    @Override
    protected ObjectStore createStore(InstantSource clock)
    {
        stores++;
        return ObjectStores.sqlite(directory.resolve("store-" + stores + ".db"), clock);
    }

    @Test
    public void contentSurvivesReopening()
    {
        Path file = directory.resolve("store-1.db");
        List<AddOutcome> outcomes = store.addObjects(COLLECTION, objects("indicator", 5));
        List<StoredObject> before = store.findObjects(COLLECTION, ObjectQuery.all(100)).objects();
        store.close();
        store = ObjectStores.sqlite(file, clock);
        assertThat(store.findObjects(COLLECTION, ObjectQuery.all(100)).objects()).isEqualTo(before);
        // The collection's last date added survives too: a new object is dated after the old ones.
        AddOutcome added = store.addObjects(COLLECTION, objects("tool", 1)).get(0);
        assertThat(added.dateAdded()).isAfter(outcomes.get(4).dateAdded());
    }

    @Test
    public void twoStoresOnOneFileKeepDatesStrictlyIncreasing()
            throws Exception
    {
        // Two stores on one file stand for two processes (the node and a CLI import).
        Path file = directory.resolve("store-1.db");
        try (ObjectStore second = ObjectStores.sqlite(file, clock)) {
            Thread other = new Thread(() -> {
                for (int batch = 0; batch < 20; batch++) {
                    second.addObjects(COLLECTION, objects("malware", 5));
                }
            });
            other.start();
            for (int batch = 0; batch < 20; batch++) {
                store.addObjects(COLLECTION, objects("indicator", 5));
            }
            other.join();
        }
        List<StoredObject> all = store.findObjects(COLLECTION, ObjectQuery.all(1_000)).objects();
        assertThat(all).hasSize(200);
        assertThat(all.stream().map(StoredObject::dateAdded).toList()).isSorted().doesNotHaveDuplicates();
    }
}
