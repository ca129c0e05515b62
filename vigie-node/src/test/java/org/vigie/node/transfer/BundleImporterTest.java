package org.vigie.node.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.generate.StixGenerator;
import org.vigie.stix.StixObject;
import org.vigie.store.AddOutcome;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ForwardingObjectStore;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleImporterTest
{
    private static final String COLLECTION = "8f1c3f43-6c2e-4b7b-9a57-3d1e0f1f5a11";

    @Test
    void importsEveryObjectOnceAndReimportAddsNothing(@TempDir Path directory)
            throws IOException
    {
        long seed = new Random().nextLong();
        int count = 2_000 + new Random(seed).nextInt(1_000);
        Path file = directory.resolve("generated.json");
        List<String> objects = StixGenerator.create(seed).next(count);
        writeBundle(file, objects);
        Set<String> expectedVersions = versions(objects);

        try (ObjectStore store = storeWithCollection()) {
            BundleImporter importer = BundleImporter.create(store, ObjectChecks.specification(), 97);
            AtomicLong lastCommitted = new AtomicLong();
            List<Long> acknowledged = new ArrayList<>();
            ImportSummary first = importer.importFiles(COLLECTION, List.of(file), new ImportListener()
            {
                @Override
                public void committed(long committed, long stored, long duplicates)
                {
                    assertThat(committed).isGreaterThan(lastCommitted.get());
                    lastCommitted.set(committed);
                    acknowledged.add(committed);
                }
            });
            assertThat(first.read()).as("seed %s", seed).isEqualTo(count);
            assertThat(first.stored()).isEqualTo(count);
            assertThat(first.duplicates()).isZero();
            assertThat(first.clean()).isTrue();
            assertThat(acknowledged).hasSize((count + 96) / 97).last().isEqualTo((long) count);
            assertThat(storedVersions(store)).isEqualTo(expectedVersions);

            ImportSummary second = importer.importFiles(COLLECTION, List.of(file), ImportListener.NONE);
            assertThat(second.stored()).isZero();
            assertThat(second.duplicates()).isEqualTo(count);
            assertThat(store.countObjects(COLLECTION)).isEqualTo(count);
        }
    }

    @Test
    void commitBatchesLargerThanTheParsingHandOverHoldThatManyObjects(@TempDir Path directory)
            throws IOException
    {
        // Parsed objects travel between threads in batches of PARSE_BATCH_SIZE; commits gather several of them.
        int commitSize = BundleImporter.PARSE_BATCH_SIZE * 2 + 1;
        int count = commitSize * 2 + 3;
        Path file = directory.resolve("generated.json");
        writeBundle(file, StixGenerator.create(11).next(count));
        try (ObjectStore store = storeWithCollection()) {
            List<Long> acknowledged = new ArrayList<>();
            ImportSummary summary = BundleImporter.create(store, ObjectChecks.specification(), commitSize).importFiles(COLLECTION, List.of(file), new ImportListener()
            {
                @Override
                public void committed(long committed, long stored, long duplicates)
                {
                    acknowledged.add(committed);
                }
            });
            assertThat(summary.stored()).isEqualTo(count);
            assertThat(acknowledged).containsExactly((long) commitSize, 2L * commitSize, (long) count);
        }
    }

    @Test
    void transactionsStreamTheirObjectsInHandOverBatches(@TempDir Path directory)
            throws IOException
    {
        // A transaction of the commit size reaches the store as hand-over batches, never as one list: objects
        // waiting for the writer are what the garbage collector copies.
        int commitSize = BundleImporter.PARSE_BATCH_SIZE * 3 + 1;
        int count = commitSize * 2 + 5;
        Path file = directory.resolve("generated.json");
        writeBundle(file, StixGenerator.create(12).next(count));
        List<List<Integer>> transactions = new ArrayList<>();
        try (ObjectStore sqlite = ObjectStores.open(StoreConfig.sqlite(directory.resolve("store.db")), InstantSource.system());
                ObjectStore store = new ForwardingObjectStore(sqlite)
                {
                    @Override
                    public List<AddOutcome> addObjectChunks(String collectionId, Iterator<List<StixObject>> chunks)
                    {
                        List<Integer> sizes = new ArrayList<>();
                        transactions.add(sizes);
                        return sqlite.addObjectChunks(collectionId, new Iterator<>()
                        {
                            @Override
                            public boolean hasNext()
                            {
                                return chunks.hasNext();
                            }

                            @Override
                            public List<StixObject> next()
                            {
                                List<StixObject> chunk = chunks.next();
                                sizes.add(chunk.size());
                                return chunk;
                            }
                        });
                    }
                }) {
            store.createCollection(CollectionInfo.of(COLLECTION, "test"));
            ImportSummary summary = BundleImporter.create(store, ObjectChecks.specification(), commitSize).importFiles(COLLECTION, List.of(file), ImportListener.NONE);

            assertThat(summary.stored()).isEqualTo(count);
            assertThat(transactions).extracting(sizes -> sizes.stream().mapToInt(Integer::intValue).sum()).containsExactly(commitSize, commitSize, 5);
            assertThat(transactions).allSatisfy(sizes -> assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, BundleImporter.PARSE_BATCH_SIZE)));
            assertThat(store.countObjects(COLLECTION)).isEqualTo(count);
        }
    }

    @Test
    void aCheckingFailureRollsBackTheTransactionInProgress(@TempDir Path directory)
            throws IOException
    {
        // The failure comes in the second hand-over batch, while the first is in a transaction waiting for more.
        Path file = directory.resolve("generated.json");
        writeBundle(file, StixGenerator.create(13).next(5_000));
        AtomicLong checked = new AtomicLong();
        ObjectCheck breaksAt2500 = object -> {
            if (checked.incrementAndGet() == 2_500) {
                throw new IllegalStateException("the check broke");
            }
            return ObjectChecks.specification().check(object);
        };
        try (ObjectStore store = ObjectStores.open(StoreConfig.sqlite(directory.resolve("store.db")), InstantSource.system())) {
            store.createCollection(CollectionInfo.of(COLLECTION, "test"));
            BundleImporter importer = BundleImporter.create(store, breaksAt2500, BundleImporter.PARSE_BATCH_SIZE + 1_000);
            assertThatThrownBy(() -> importer.importFiles(COLLECTION, List.of(file), ImportListener.NONE))
                    .hasMessageContaining("import stopped after 0 committed objects")
                    .hasMessageContaining("the check broke");
            assertThat(store.countObjects(COLLECTION)).isZero();
        }
    }

    @Test
    void invalidObjectsAreRejectedWithReasonsAndValidOnesStored(@TempDir Path directory)
            throws IOException
    {
        List<String> objects = new ArrayList<>(StixGenerator.create(3).next(20));
        // An indicator without a pattern, an object without an id, and one with a bad custom reference (a warning only).
        objects.add(5, "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--0d3d1a3e-2f4b-4c8b-9a57-0b5c2f1e6d7a\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-01T00:00:00.000Z\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-01-01T00:00:00Z\"}");
        objects.add(9, "{\"type\":\"malware\",\"spec_version\":\"2.1\",\"name\":\"no id\",\"is_family\":true}");
        objects.add("{\"type\":\"x-example-note\",\"spec_version\":\"2.1\",\"id\":\"x-example-note--6a1a5e52-3f4b-4c8b-9a57-0b5c2f1e6d7b\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-01T00:00:00.000Z\",\"x_example_ref\":\"\"}");
        Path file = directory.resolve("mixed.json");
        writeBundle(file, objects);

        try (ObjectStore store = storeWithCollection()) {
            ImportSummary summary = BundleImporter.create(store, ObjectChecks.specification(), 10).importFiles(COLLECTION, List.of(file), ImportListener.NONE);
            assertThat(summary.read()).isEqualTo(23);
            assertThat(summary.stored()).isEqualTo(21);
            assertThat(summary.rejected()).hasSize(2);
            assertThat(summary.rejected().get(0).index()).isEqualTo(5);
            assertThat(summary.rejected().get(0).objectId()).isEqualTo("indicator--0d3d1a3e-2f4b-4c8b-9a57-0b5c2f1e6d7a");
            assertThat(summary.rejected().get(0).reason()).contains("pattern");
            assertThat(summary.rejected().get(1).index()).isEqualTo(9);
            assertThat(summary.rejected().get(1).toString()).contains(file.toString()).contains("object 9").contains("id");
            // Custom objects and custom properties are kept.
            assertThat(store.findObjects(COLLECTION, ObjectQuery.all(100).withIds(List.of("x-example-note--6a1a5e52-3f4b-4c8b-9a57-0b5c2f1e6d7b"))).objects()).hasSize(1);
            assertThat(summary.clean()).isFalse();
        }
    }

    @Test
    void warningsAreReportedAndTheObjectStored(@TempDir Path directory)
            throws IOException
    {
        List<String> objects = StixGenerator.create(13).next(50);
        Path file = directory.resolve("warned.json");
        writeBundle(file, objects);
        ObjectCheck warnOnIndicators = object -> object.get("type").asString().equals("indicator")
                ? new ObjectCheck.Findings(List.of(), List.of("indicator noted"))
                : ObjectCheck.Findings.NONE;
        long indicators = objects.stream().filter(json -> json.contains("\"type\":\"indicator\"")).count();
        try (ObjectStore store = storeWithCollection()) {
            ImportSummary summary = BundleImporter.create(store, warnOnIndicators, 16).importFiles(COLLECTION, List.of(file), ImportListener.NONE);
            assertThat(summary.stored()).isEqualTo(50);
            assertThat(summary.rejected()).isEmpty();
            assertThat(summary.warnings()).hasSize((int) indicators).allSatisfy(warning -> {
                assertThat(warning.objectId()).startsWith("indicator--");
                assertThat(warning.reason()).isEqualTo("indicator noted");
            });
        }
    }

    @Test
    void storeFailureStopsTheImportAndSaysHowMuchWasCommitted(@TempDir Path directory)
            throws IOException
    {
        Path file = directory.resolve("many.json");
        writeBundle(file, StixGenerator.create(17).next(5_000));
        try (ObjectStore store = new FailingStore(storeWithCollection(), 3)) {
            BundleImporter importer = BundleImporter.create(store, ObjectChecks.specification(), 100);
            assertThatThrownBy(() -> importer.importFiles(COLLECTION, List.of(file), ImportListener.NONE))
                    .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                    .hasMessageContaining("import stopped after 300 committed objects")
                    .hasMessageContaining("disk full");
            assertThat(store.countObjects(COLLECTION)).isEqualTo(300);
        }
    }

    @Test
    void malformedFileKeepsWhatWasReadBeforeTheError(@TempDir Path directory)
            throws IOException
    {
        List<String> objects = StixGenerator.create(11).next(30);
        String text = "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[" + String.join(",\n", objects.subList(0, 25)) + ",\n{\"type\": \"indicator\", oops}";
        Path broken = directory.resolve("broken.json");
        Files.writeString(broken, text);
        Path good = directory.resolve("good.json");
        writeBundle(good, objects.subList(25, 30));

        try (ObjectStore store = storeWithCollection()) {
            ImportSummary summary = BundleImporter.create(store, ObjectChecks.specification(), 7).importFiles(COLLECTION, List.of(broken, good), ImportListener.NONE);
            assertThat(summary.failedFiles()).singleElement().satisfies(failure -> {
                assertThat(failure.file()).isEqualTo(broken.toString());
                assertThat(failure.reason()).contains("line 26");
            });
            assertThat(summary.stored()).isEqualTo(30);
            assertThat(store.countObjects(COLLECTION)).isEqualTo(30);
        }
    }

    @Test
    void unknownCollectionAndMissingInputFailBeforeReading(@TempDir Path directory)
            throws IOException
    {
        Path file = directory.resolve("one.json");
        writeBundle(file, StixGenerator.create(1).next(3));
        try (ObjectStore store = storeWithCollection()) {
            assertThatThrownBy(() -> BundleImporter.create(store, ObjectChecks.headerOnly(), 10).importFiles("0a8c2b4e-0000-4000-8000-000000000000", List.of(file), ImportListener.NONE))
                    .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.COLLECTION_NOT_FOUND))
                    .hasMessageContaining("0a8c2b4e-0000-4000-8000-000000000000");
            assertThat(store.countObjects(COLLECTION)).isZero();
        }
        assertThatThrownBy(() -> BundleImporter.expand(List.of(file, directory.resolve("missing.json"))))
                .isInstanceOf(VigieException.class)
                .hasMessageContaining("missing.json")
                .hasMessageContaining("does not exist");
        Files.createDirectories(directory.resolve("nested/deeper"));
        writeBundle(directory.resolve("nested/deeper/b.json"), List.of());
        writeBundle(directory.resolve("nested/a.json"), List.of());
        Files.writeString(directory.resolve("nested/readme.txt"), "not json");
        assertThat(BundleImporter.expand(List.of(directory.resolve("nested"))))
                .containsExactly(directory.resolve("nested/a.json"), directory.resolve("nested/deeper/b.json"));
    }

    @Test
    void exportWritesEveryVersionOrOnlyTheLatest(@TempDir Path directory)
            throws IOException
    {
        List<String> objects = StixGenerator.create(5).next(1_500);
        Path file = directory.resolve("versions.json");
        writeBundle(file, objects);
        try (ObjectStore store = storeWithCollection()) {
            BundleImporter.create(store, ObjectChecks.specification(), 500).importFiles(COLLECTION, List.of(file), ImportListener.NONE);
            Set<String> ids = new HashSet<>();
            objects.forEach(json -> ids.add(StixObject.fromJson(json).id()));

            ByteArrayOutputStream all = new ByteArrayOutputStream();
            assertThat(BundleExporter.export(store, COLLECTION, true, all)).isEqualTo(objects.size());
            ByteArrayOutputStream latest = new ByteArrayOutputStream();
            assertThat(BundleExporter.export(store, COLLECTION, false, latest)).isEqualTo(ids.size());
            assertThat(ids.size()).isLessThan(objects.size());

            Path exported = directory.resolve("exported.json");
            Files.write(exported, all.toByteArray());
            ObjectStore copy = ObjectStores.inMemory(InstantSource.system());
            copy.createCollection(CollectionInfo.of(COLLECTION, "copy"));
            ImportSummary summary = BundleImporter.create(copy, ObjectChecks.strictSpecification(), 100).importFiles(COLLECTION, List.of(exported), ImportListener.NONE);
            assertThat(summary.clean()).isTrue();
            assertThat(storedVersions(copy)).isEqualTo(versions(objects));
            assertThat(latest.toString(StandardCharsets.UTF_8)).startsWith("{\"type\":\"bundle\",\"id\":\"bundle--");
        }
    }

    private static ObjectStore storeWithCollection()
    {
        ObjectStore store = ObjectStores.inMemory(InstantSource.system());
        store.createCollection(CollectionInfo.of(COLLECTION, "test"));
        return store;
    }

    static void writeBundle(Path file, List<String> objects)
            throws IOException
    {
        Files.writeString(file, "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[" + String.join(",\n", objects) + "]}");
    }

    private static Set<String> versions(List<String> objects)
    {
        Set<String> versions = new HashSet<>();
        for (String json : objects) {
            StixObject object = StixObject.fromJson(json);
            versions.add(object.id() + "@" + object.version().map(Object::toString).orElse("unversioned"));
        }
        return versions;
    }

    private static Set<String> storedVersions(ObjectStore store)
    {
        Set<String> versions = new HashSet<>();
        ObjectQuery query = ObjectQuery.all(1_000).withVersions(VersionFilter.ALL);
        while (true) {
            var page = store.findObjects(COLLECTION, query);
            for (StoredObject stored : page.objects()) {
                versions.add(stored.object().id() + "@" + stored.object().version().map(Object::toString).orElse("unversioned"));
            }
            if (!page.more()) {
                return versions;
            }
            query = query.withNext(page.next().orElseThrow());
        }
    }
}
