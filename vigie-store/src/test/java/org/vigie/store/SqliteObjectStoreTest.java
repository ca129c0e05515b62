package org.vigie.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

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
    public void idsSharingAHashStayApart()
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("store-" + stores + ".db"))) {
            IdHashCollisionCheck.run(store, connection, COLLECTION);
        }
    }

    @Test
    public void newStoreHasSixteenKibibytePages()
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("store-" + stores + ".db"));
                Statement statement = connection.createStatement();
                ResultSet pageSize = statement.executeQuery("PRAGMA page_size")) {
            assertThat(pageSize.next()).isTrue();
            assertThat(pageSize.getInt(1)).isEqualTo(16 * 1024);
        }
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

    @Test
    public void commitsLeaveTheWriteAheadLogToTheBackgroundCheckpoint()
            throws Exception
    {
        Path file = directory.resolve("store-1.db");
        long before = Files.size(file);
        for (int batch = 0; batch < 10; batch++) {
            store.addObjects(COLLECTION, objects("indicator", 500));
        }
        SqlObjectStore sqlStore = (SqlObjectStore) store;
        // Polling what the store reports, with a deadline; not a sleep standing in for the work.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sqlStore.checkpoints().orElseThrow() == 0 || Files.size(file) <= before + 1_000_000) {
            assertThat(System.nanoTime()).as("the checkpoint thread copied the log into the database file within 30 s").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
        // The copied pages are the store's content: a new store on the file alone (log included) reads it all.
        store.close();
        store = ObjectStores.sqlite(file, clock);
        assertThat(store.countObjects(COLLECTION)).isEqualTo(5_000);
    }

    @Test
    public void theBackgroundCheckpointStopsWithTheStore()
    {
        Set<String> before = checkpointThreads();
        ObjectStore another = ObjectStores.sqlite(directory.resolve("another.db"), clock);
        another.createCollection(CollectionInfo.of(COLLECTION, "another"));
        another.addObjects(COLLECTION, objects("indicator", 10));
        assertThat(checkpointThreads()).as("the store's own checkpoint thread").hasSizeGreaterThan(before.size());
        another.close();
        assertThat(checkpointThreads()).as("checkpoint threads after close").isSubsetOf(before);
    }

    private static Set<String> checkpointThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("vigie-store-checkpoint-"))
                .collect(Collectors.toSet());
    }
}
