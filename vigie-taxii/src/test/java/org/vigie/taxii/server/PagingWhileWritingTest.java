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
 * A reader pages through a collection with limit=1 while two writers add objects over HTTP: every object is
 * seen exactly once, each writer's objects in the order it added them. When a page says there is no more, the reader
 * resumes from the X-TAXII-Date-Added-Last header with added_after, as TAXII 2.1 prescribes.
 */
class PagingWhileWritingTest
{
    private static final int OBJECTS = 250;

    @TempDir
    Path directory;

    private static String idOf(String json)
    {
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(json).path("id").asString();
    }

    private static int countPreloaded(List<List<String>> batches, int preloaded)
    {
        return batches.subList(0, preloaded).stream().mapToInt(List::size).sum();
    }

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

            // Two writers at once: the even and the odd remaining batches.
            ExecutorService executor = Executors.newFixedThreadPool(2);
            try {
                List<List<String>> remaining = batches.subList(preloaded, batches.size());
                List<CompletableFuture<Void>> writers = new ArrayList<>();
                for (int parity = 0; parity < 2; parity++) {
                    int writerParity = parity;
                    writers.add(CompletableFuture.runAsync(() -> {
                        for (int index = writerParity; index < remaining.size(); index += 2) {
                            List<String> batch = remaining.get(index);
                            assertThat(writer.addObjects(SHARED, batch).successCount()).isEqualTo(batch.size());
                        }
                    }, executor));
                }
                CompletableFuture<Void> writing = CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new));

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
                assertThat(seen).as("every object seen").containsExactlyInAnyOrderElementsOf(expectedIds);
                // Each writer's objects appear in the order that writer added them.
                for (int parity = 0; parity < 2; parity++) {
                    List<String> written = new ArrayList<>();
                    for (int index = parity; index < remaining.size(); index += 2) {
                        remaining.get(index).forEach(json -> written.add(idOf(json)));
                    }
                    assertThat(seen.stream().filter(written::contains).toList()).containsExactlyElementsOf(written);
                }
                int preloadedCount = countPreloaded(batches, preloaded);
                assertThat(seen.subList(0, preloadedCount)).as("objects present before paging come first, in order").containsExactlyElementsOf(expectedIds.subList(0, preloadedCount));
            }
            finally {
                executor.shutdownNow();
            }
        }
    }
}
