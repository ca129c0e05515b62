package org.vigie.taxii.server;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.client.ObjectsQuery;
import org.vigie.taxii.client.TaxiiClient;
import org.vigie.taxii.client.TaxiiResources;
import org.vigie.taxii.testing.MutableClock;
import org.vigie.taxii.testing.StixFixtures;
import org.vigie.taxii.testing.TestNode;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.taxii.testing.TestNode.SHARED;

/**
 * A reader pages through a collection with limit=1 while a writer adds objects over HTTP: every object is
 * seen exactly once, in the order the server added them. When a page says there is no more, the reader
 * resumes from the X-TAXII-Date-Added-Last header with added_after, as TAXII 2.1 prescribes.
 */
class PagingWhileWritingTest
{
    private static final int OBJECTS = 250;

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite"})
    void limitOnePagingNeitherSkipsNorRepeats(String storeKind)
            throws Exception
    {
        // The real clock: concurrent writes must get increasing dates added from the store itself.
        InstantSource clock = InstantSource.system();
        ObjectStore store = storeKind.equals("memory") ? ObjectStores.inMemory(clock) : ObjectStores.sqlite(directory.resolve("store.db"), clock);
        MutableClock authenticationClock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (TestNode node = new TestNode(store, authenticationClock, TaxiiServerConfig.defaults().withPort(0), List.of())) {
            TaxiiClient writer = node.client("analyst");
            TaxiiClient reader = node.client("reader");
            StixFixtures fixtures = new StixFixtures(2026);
            Random random = new Random(11);
            List<List<String>> batches = new ArrayList<>();
            List<String> expectedIds = new ArrayList<>();
            Instant created = Instant.parse("2025-06-01T00:00:00Z");
            // A tenth of the objects exist before the reader starts.
            while (expectedIds.size() < OBJECTS) {
                List<String> batch = new ArrayList<>();
                int size = 1 + random.nextInt(5);
                for (int index = 0; index < size && expectedIds.size() < OBJECTS; index++) {
                    String id = fixtures.newId("malware");
                    expectedIds.add(id);
                    batch.add(StixFixtures.malware(id, created));
                }
                batches.add(batch);
            }
            int preloaded = batches.size() / 10;
            for (List<String> batch : batches.subList(0, preloaded)) {
                writer.addObjects(SHARED, batch);
            }

            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                    for (List<String> batch : batches.subList(preloaded, batches.size())) {
                        assertThat(writer.addObjects(SHARED, batch).successCount()).isEqualTo(batch.size());
                    }
                }, executor);

                List<String> seen = new ArrayList<>();
                ObjectsQuery query = ObjectsQuery.all().withLimit(1);
                String lastDateAdded = null;
                while (true) {
                    boolean writerDone = writing.isDone();
                    TaxiiResources.Envelope page = reader.getObjects(SHARED, query);
                    assertThat(page.objects().size()).isLessThanOrEqualTo(1);
                    page.objects().forEach(object -> seen.add(object.path("id").asString()));
                    if (page.dateAddedLast().isPresent()) {
                        lastDateAdded = page.dateAddedLast().get();
                    }
                    if (page.more()) {
                        query = ObjectsQuery.all().withLimit(1).withNext(page.next().orElseThrow());
                        continue;
                    }
                    if (writerDone) {
                        break;
                    }
                    // Caught up with the writer: continue after the last object seen.
                    query = lastDateAdded == null ? ObjectsQuery.all().withLimit(1) : ObjectsQuery.all().withLimit(1).withAddedAfter(lastDateAdded);
                }
                writing.get(60, TimeUnit.SECONDS);

                Set<String> distinct = new HashSet<>(seen);
                assertThat(distinct).as("no object repeated").hasSize(seen.size());
                assertThat(seen).as("every object seen, in the order added").containsExactlyElementsOf(expectedIds);
            }
            finally {
                executor.shutdownNow();
            }
        }
    }
}
