package org.vigie.console;

import org.junit.jupiter.api.Test;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inverted index against a reference: seeded random objects (names, descriptions, new versions
 * replacing old text) in a real store, random queries of one to three words; the ids found must be
 * exactly those whose latest text holds every query word, as a plain scan finds them.
 */
class SearchIndexTest
{
    private static final String COLLECTION = "6f1e2d3c-4b5a-4968-8776-655443322110";
    private static final List<String> VOCABULARY = List.of("silent", "viper", "Crimson", "falcon", "iron", "lynx", "grid", "power", "198", "51", "100",
            "7", "Énergie", "domain", "example", "com", "sha", "256", "b2", "h1");

    @Test
    void findsExactlyTheObjectsHoldingEveryWordOfTheQuery()
    {
        Random random = new Random(20261122);
        try (ObjectStore store = ObjectStores.inMemory(new TickingClock(Instant.parse("2026-03-01T10:00:00Z")))) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Model"));
            ObjectEvents events = ObjectEvents.create();
            ObservedObjectStore observed = new ObservedObjectStore(store, events);
            SearchIndex index = new SearchIndex(observed);
            events.subscribe(index);
            Map<String, String> latestText = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            // Half stored before the first search (read from the store), half after (applied from events).
            for (int round = 0; round < 2; round++) {
                for (int step = 0; step < 300; step++) {
                    boolean newVersion = !ids.isEmpty() && random.nextInt(4) == 0;
                    String id = newVersion ? ids.get(random.nextInt(ids.size())) : "campaign--" + new UUID(random.nextLong(), random.nextLong());
                    if (!newVersion) {
                        ids.add(id);
                    }
                    String name = words(random, 1 + random.nextInt(3));
                    String description = words(random, random.nextInt(5));
                    String modified = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(round * 10_000L + step).toString();
                    observed.addObjects(COLLECTION, List.of(StixObject.fromJson("{\"type\":\"campaign\",\"spec_version\":\"2.1\",\"id\":\"" + id
                            + "\",\"created\":\"2025-01-01T00:00:00.000Z\",\"modified\":\"" + modified + "\",\"name\":\"" + name + "\",\"description\":\"" + description + "\"}")));
                    latestText.put(id, name + " " + description);
                }
                for (int query = 0; query < 200; query++) {
                    String text = words(random, 1 + random.nextInt(3));
                    Set<String> found = new TreeSet<>();
                    SearchIndex.SearchResult result = index.search(List.of(COLLECTION), text, entry -> true, ConsoleApi.MAXIMUM_SEARCH_LIMIT);
                    result.hits().forEach(hit -> found.add(hit.id()));
                    Set<String> expected = reference(latestText, text);
                    assertThat(result.total()).as(text).isEqualTo(expected.size());
                    if (expected.size() <= ConsoleApi.MAXIMUM_SEARCH_LIMIT) {
                        assertThat(found).as(text).isEqualTo(expected);
                    }
                    else {
                        assertThat(expected).as(text).containsAll(found);
                    }
                }
            }
            String someId = ids.get(random.nextInt(ids.size()));
            assertThat(index.search(List.of(COLLECTION), someId, entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(someId);
        }
    }

    private static Set<String> reference(Map<String, String> texts, String query)
    {
        Set<String> wanted = new HashSet<>(Arrays.asList(query.toLowerCase(Locale.ROOT).split(" ")));
        Set<String> found = new TreeSet<>();
        texts.forEach((id, text) -> {
            Set<String> words = new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split(" ")));
            if (words.containsAll(wanted)) {
                found.add(id);
            }
        });
        return found;
    }

    private static String words(Random random, int count)
    {
        List<String> words = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            words.add(VOCABULARY.get(random.nextInt(VOCABULARY.size())));
        }
        return String.join(" ", words);
    }
}
