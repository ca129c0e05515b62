package org.vigie.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.stix.StixObject;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.VersionFilter;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The persistent search index against a reference, on every vendor (subclasses open the store and the
 * index database): seeded random objects (names, descriptions, new versions replacing old text) in a real
 * store, random queries of one to three words; the ids found must be exactly those whose latest text holds
 * every query word (the last one as a prefix), as a plain scan finds them. Then what the index must do as
 * a persistent, background index: survive a restart without re-indexing, pick up objects written by
 * another process, drop deleted objects, replace a version's text, and build itself for an existing store.
 * The Detection screen's counts made by the database ({@link SightingQueries}) agree with the index's
 * sighting rows counted in Java.
 */
abstract class SearchIndexContractTest
{
    static final String COLLECTION = "6f1e2d3c-4b5a-4968-8776-655443322110";
    static final String OTHER = "7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d";
    private static final List<String> VOCABULARY = List.of("silent", "viper", "Crimson", "falcon", "iron", "lynx", "grid", "power", "198", "51", "100",
            "7", "Énergie", "domain", "example", "com", "sha", "256", "b2", "h1");

    @TempDir
    Path directory;

    /** A store, the same one at every call with the same directory (reopened after a close). */
    abstract ObjectStore openStore(Path directory);

    /** The index database beside that store, the same one at every call with the same directory. */
    abstract SearchDatabase openSearchDatabase(Path directory);

    @Test
    void findsExactlyTheObjectsHoldingEveryWordOfTheQuery()
    {
        Random random = new Random(20261122);
        try (ObjectStore store = openStore(directory); SearchDatabase database = openSearchDatabase(directory)) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Model"));
            ObjectEvents events = ObjectEvents.create();
            ObservedObjectStore observed = new ObservedObjectStore(store, events);
            SearchIndex index = new SearchIndex(observed, database);
            events.subscribe(index);
            Map<String, String> latestText = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            // Half stored before the index starts (its first build reads them), half after (from the event log).
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
                    observed.addObjects(COLLECTION, List.of(campaign(id, modified, name, description)));
                    latestText.put(id, name + " " + description);
                }
                if (round == 0) {
                    index.start();
                }
                for (int query = 0; query < 200; query++) {
                    String text = words(random, 1 + random.nextInt(3));
                    Set<String> found = new TreeSet<>();
                    SearchIndex.SearchResult result = index.search(List.of(COLLECTION), text, entry -> true, ConsoleApi.MAXIMUM_SEARCH_LIMIT);
                    result.hits().forEach(hit -> found.add(hit.id()));
                    Set<String> expected = reference(latestText, text);
                    assertThat(result.behind()).as("the index caught up before answering").isZero();
                    assertThat(result.exact()).isTrue();
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
            index.close();
        }
    }

    @Test
    void aRestartFindsTheIndexOnDiskWithoutReindexing()
            throws Exception
    {
        List<String> ids = new ArrayList<>();
        try (ObjectStore store = openStore(directory); SearchDatabase database = openSearchDatabase(directory)) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Restart"));
            for (int step = 0; step < 50; step++) {
                String id = "campaign--" + UUID.randomUUID();
                ids.add(id);
                store.addObjects(COLLECTION, List.of(campaign(id, "2026-01-01T00:00:00Z", "Persistent heron " + step, "")));
            }
            SearchIndex index = new SearchIndex(store, database);
            index.start();
            assertThat(index.search(List.of(COLLECTION), "heron", entry -> true, 100).total()).isEqualTo(50);
            assertThat(index.written()).isEqualTo(50);
            index.close();
        }
        try (ObjectStore store = openStore(directory); SearchDatabase database = openSearchDatabase(directory)) {
            SearchIndex index = new SearchIndex(store, database);
            // Before the indexer runs: what the last run indexed is on disk.
            assertThat(index.behind()).isZero();
            index.start();
            SearchIndex.SearchResult result = index.search(List.of(COLLECTION), "persistent heron", entry -> true, 100);
            assertThat(result.hits()).extracting(IndexEntry::id).containsExactlyInAnyOrderElementsOf(ids);
            String late = "campaign--" + UUID.randomUUID();
            store.addObjects(COLLECTION, List.of(campaign(late, "2026-01-01T00:00:00Z", "Late heron", "")));
            assertThat(index.search(List.of(COLLECTION), "late heron", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(late);
            assertThat(index.written()).as("only the object added after the restart was indexed").isEqualTo(1);
            index.close();
        }
    }

    @Test
    void objectsWrittenByAnotherProcessAreFoundReplacedAndDropped()
    {
        try (ObjectStore store = openStore(directory); SearchDatabase database = openSearchDatabase(directory)) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Live"));
            SearchIndex index = new SearchIndex(store, database);
            index.start();
            assertThat(index.search(List.of(COLLECTION), "kestrel", entry -> true, 10).total()).isZero();

            // Written to the store directly, as an import or another replica would: the index learns of it from the event log.
            String id = "campaign--" + UUID.randomUUID();
            store.addObjects(COLLECTION, List.of(campaign(id, "2026-01-01T00:00:00Z", "Kestrel", "an operation against power grids")));
            assertThat(index.search(List.of(COLLECTION), "kestrel", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(id);
            assertThat(index.search(List.of(COLLECTION), "power grids", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(id);

            // A new version replaces the old text.
            store.addObjects(COLLECTION, List.of(campaign(id, "2026-02-01T00:00:00Z", "Kestrel", "now aimed at water utilities")));
            assertThat(index.search(List.of(COLLECTION), "power grids", entry -> true, 10).total()).isZero();
            SearchIndex.SearchResult replaced = index.search(List.of(COLLECTION), "water", entry -> true, 10);
            assertThat(replaced.hits()).extracting(IndexEntry::id).containsExactly(id);
            assertThat(replaced.hits().get(0).version()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));

            // Deleting the latest version brings back the previous one; deleting every version removes the entry.
            store.deleteObject(COLLECTION, id, VersionFilter.LAST, List.of());
            assertThat(index.search(List.of(COLLECTION), "power grids", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(id);
            store.deleteObject(COLLECTION, id, VersionFilter.ALL, List.of());
            assertThat(index.search(List.of(COLLECTION), "kestrel", entry -> true, 10).total()).isZero();
            assertThat(index.find(COLLECTION, id)).isEmpty();
            index.close();
        }
    }

    @Test
    void entriesFollowTheLatestStoredVersionWhateverOrderVersionsComeIn()
            throws Exception
    {
        // Written through the observed store, as the node writes: the indexer takes the versions this process has
        // just written instead of reading them back, and must still end on what the store holds as latest, with
        // older versions added after newer ones, deletions of the latest or of every version, and unversioned objects.
        Random random = new Random(20261123);
        try (ObjectStore store = openStore(directory); SearchDatabase database = openSearchDatabase(directory)) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Versions"));
            ObjectEvents events = ObjectEvents.create();
            ObservedObjectStore observed = new ObservedObjectStore(store, events);
            SearchIndex index = new SearchIndex(observed, database);
            events.subscribe(index);
            index.start();
            List<String> ids = new ArrayList<>();
            for (int count = 0; count < 12; count++) {
                ids.add("campaign--" + new UUID(random.nextLong(), random.nextLong()));
            }
            for (int count = 0; count < 3; count++) {
                ids.add("domain-name--" + new UUID(random.nextLong(), random.nextLong()));
            }
            for (int round = 0; round < 40; round++) {
                int writes = 1 + random.nextInt(20);
                for (int write = 0; write < writes; write++) {
                    String id = ids.get(random.nextInt(ids.size()));
                    int action = random.nextInt(10);
                    if (action < 7) {
                        StixObject object;
                        if (id.startsWith("domain-name--")) {
                            object = StixObject.fromJson("{\"type\":\"domain-name\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"value\":\"round" + round + ".example\"}");
                        }
                        else {
                            int day = 1 + random.nextInt(9);
                            object = campaign(id, "2026-01-0" + day + "T00:00:00Z", "Day " + day, "round " + round);
                        }
                        observed.addObjects(COLLECTION, List.of(object));
                    }
                    else {
                        observed.deleteObject(COLLECTION, id, action < 9 ? VersionFilter.LAST : VersionFilter.ALL, List.of());
                    }
                }
                index.awaitWarm();
                String marker = "round" + round;
                for (String id : ids) {
                    Optional<String> expected = store.findObjects(COLLECTION, ObjectQuery.all(10).withIds(List.of(id))).objects().stream()
                            .findFirst()
                            .map(stored -> stored.object().version().orElse(stored.dateAdded()) + " " + stored.dateAdded() + " " + stored.object().json().contains(marker));
                    Optional<String> indexed = index.find(COLLECTION, id)
                            .map(entry -> entry.version() + " " + entry.dateAdded() + " " + store.findObjects(COLLECTION, ObjectQuery.all(10).withIds(List.of(id)).withVersions(VersionFilter.ALL))
                                    .objects().stream()
                                    .filter(stored -> stored.dateAdded().equals(entry.dateAdded()))
                                    .anyMatch(stored -> stored.object().json().contains(marker)));
                    assertThat(indexed).as("round %d, %s", round, id).isEqualTo(expected);
                }
            }
            assertThat(index.takenAsWritten()).as("versions taken as written, not read back").isPositive();
            index.close();
        }
    }

    @Test
    void changesToOneObjectInsideOneIndexingTransactionLeaveOnlyItsLastText()
            throws Exception
    {
        // SQLite's writer queues word changes until finish(): their order inside the transaction must survive.
        String id = "campaign--" + UUID.randomUUID();
        String removed = "campaign--" + UUID.randomUUID();
        String relationshipId = "relationship--" + UUID.randomUUID();
        String firstTarget = "intrusion-set--" + UUID.randomUUID();
        String secondTarget = "intrusion-set--" + UUID.randomUUID();
        Instant added = Instant.parse("2026-03-01T00:00:00Z");
        try (SearchDatabase database = openSearchDatabase(directory)) {
            SearchTables tables = new SearchTables(database);
            try (java.sql.Connection connection = database.connection()) {
                connection.setAutoCommit(false);
                try (SearchTables.Writer writer = tables.writer(connection)) {
                    writer.replace(SearchIndex.indexed(COLLECTION, campaign(id, "2026-01-01T00:00:00Z", "Osprey", "first text"), added).orElseThrow());
                    writer.replace(SearchIndex.indexed(COLLECTION, campaign(id, "2026-02-01T00:00:00Z", "Osprey", "second text"), added.plusSeconds(1)).orElseThrow());
                    writer.replace(SearchIndex.indexed(COLLECTION, campaign(removed, "2026-01-01T00:00:00Z", "Harrier", "second text"), added).orElseThrow());
                    writer.remove(COLLECTION, removed);
                    writer.replace(SearchIndex.indexed(COLLECTION, relationship(relationshipId, "2026-01-01T00:00:00Z", id, firstTarget), added).orElseThrow());
                    writer.replace(SearchIndex.indexed(COLLECTION, relationship(relationshipId, "2026-02-01T00:00:00Z", id, secondTarget), added.plusSeconds(1)).orElseThrow());
                    writer.finish();
                }
                connection.commit();
            }
            assertThat(matches(tables, "first")).isEmpty();
            assertThat(matches(tables, "second")).containsExactly(id);
            assertThat(matches(tables, "osprey")).containsExactly(id);
            assertThat(matches(tables, "harrier")).isEmpty();
            assertThat(tables.incident(COLLECTION, firstTarget)).as("the first version's edge went with it").isEmpty();
            assertThat(tables.incident(COLLECTION, secondTarget)).extracting(IndexEntry::id).containsExactly(relationshipId);
            assertThat(tables.incident(COLLECTION, id)).extracting(IndexEntry::id).containsExactly(relationshipId);

            // Entries read ahead for a batch of ids, some stored, some not: the writes after it see and keep them current.
            String merlin = "campaign--" + UUID.randomUUID();
            try (java.sql.Connection connection = database.connection()) {
                connection.setAutoCommit(false);
                try (SearchTables.Writer writer = tables.writer(connection)) {
                    writer.prefetch(COLLECTION, List.of(id, removed, relationshipId, merlin));
                    writer.replace(SearchIndex.indexed(COLLECTION, campaign(id, "2026-03-01T00:00:00Z", "Osprey", "third text"), day(2)).orElseThrow());
                    writer.replace(SearchIndex.indexed(COLLECTION, campaign(id, "2026-04-01T00:00:00Z", "Osprey", "fourth text"), day(3)).orElseThrow());
                    writer.remove(COLLECTION, relationshipId);
                    writer.remove(COLLECTION, removed);
                    writer.replace(SearchIndex.indexed(COLLECTION, campaign(merlin, "2026-01-01T00:00:00Z", "Merlin", "third text"), day(2)).orElseThrow());
                    writer.remove(COLLECTION, merlin);
                    writer.replace(SearchIndex.indexed(COLLECTION, campaign(merlin, "2026-02-01T00:00:00Z", "Merlin", "fifth text"), day(3)).orElseThrow());
                    writer.finish();
                }
                connection.commit();
            }
            assertThat(matches(tables, "second")).isEmpty();
            assertThat(matches(tables, "third")).isEmpty();
            assertThat(matches(tables, "fourth")).containsExactly(id);
            assertThat(matches(tables, "fifth")).containsExactly(merlin);
            assertThat(tables.byId(List.of(COLLECTION), id)).hasSize(1);
            assertThat(tables.byId(List.of(COLLECTION), merlin)).hasSize(1);
            assertThat(tables.byId(List.of(COLLECTION), relationshipId)).isEmpty();
            assertThat(tables.incident(COLLECTION, secondTarget)).isEmpty();
        }
    }

    private static Instant day(int days)
    {
        return Instant.parse("2026-03-01T00:00:00Z").plus(Duration.ofDays(days));
    }

    private static StixObject relationship(String id, String modified, String source, String target)
    {
        return StixObject.fromJson("{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2025-01-01T00:00:00.000Z\",\"modified\":\""
                + modified + "\",\"relationship_type\":\"attributed-to\",\"source_ref\":\"" + source + "\",\"target_ref\":\"" + target + "\"}");
    }

    private static List<String> matches(SearchTables tables, String word)
    {
        return tables.newestMatches(List.of(COLLECTION), List.of(word), Long.MAX_VALUE, 10).stream().map(row -> row.entry().id()).toList();
    }

    @Test
    void prefixesOfTheLastWordMatchAndNamesStartingWithTheQueryRankFirst()
    {
        try (ObjectStore store = openStore(directory); SearchDatabase database = openSearchDatabase(directory)) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Prefix"));
            store.createCollection(CollectionInfo.of(OTHER, "Other"));
            String sofacy = "intrusion-set--" + UUID.randomUUID();
            String mention = "report--" + UUID.randomUUID();
            String sofa = "campaign--" + UUID.randomUUID();
            String elsewhere = "campaign--" + UUID.randomUUID();
            store.addObjects(COLLECTION, List.of(StixObject.fromJson("{\"type\":\"intrusion-set\",\"spec_version\":\"2.1\",\"id\":\"" + sofacy
                    + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"Sofacy\",\"aliases\":[\"APT28\",\"Fancy Bear\"]}")));
            store.addObjects(COLLECTION, List.of(campaign(mention, "2026-01-01T00:00:00Z", "Quarterly review", "mentions sofacy and apt28 activity")));
            store.addObjects(COLLECTION, List.of(campaign(sofa, "2026-01-01T00:00:00Z", "Sofa king", "")));
            store.addObjects(OTHER, List.of(campaign(elsewhere, "2026-01-01T00:00:00Z", "Sofacy elsewhere", "")));
            SearchIndex index = new SearchIndex(store, database);
            index.start();

            assertThat(index.search(List.of(COLLECTION), "sofa", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactlyInAnyOrder(sofacy, sofa, mention);
            assertThat(index.search(List.of(COLLECTION), "SOFAC", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(sofacy, mention);
            assertThat(index.search(List.of(COLLECTION), "apt2", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactlyInAnyOrder(sofacy, mention);
            assertThat(index.search(List.of(COLLECTION), "fancy be", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(sofacy);
            // Only the last word is a prefix: "fanc bear" needs the whole word "fanc".
            assertThat(index.search(List.of(COLLECTION), "fanc bear", entry -> true, 10).total()).isZero();
            // Words beyond ASCII, one of them holding a combining mark once lower-cased (İ becomes i and U+0307): each is one word.
            String istanbul = "campaign--" + UUID.randomUUID();
            store.addObjects(COLLECTION, List.of(campaign(istanbul, "2026-01-01T00:00:00Z", "İstanbul Énergie", "réseau électrique")));
            assertThat(index.search(List.of(COLLECTION), "İSTANBUL", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(istanbul);
            assertThat(index.search(List.of(COLLECTION), "énerg", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(istanbul);
            assertThat(index.search(List.of(COLLECTION), "réseau élec", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(istanbul);
            assertThat(index.search(List.of(COLLECTION), "energie", entry -> true, 10).total()).as("accents are kept").isZero();
            // Per collection: only the collections given are searched.
            assertThat(index.search(List.of(OTHER), "sofac", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(elsewhere);
            assertThat(index.search(List.of(), "sofac", entry -> true, 10).total()).isZero();
            // The filter (rights, clearances, type) decides what is counted too.
            assertThat(index.search(List.of(COLLECTION, OTHER), "sofac", entry -> entry.type().equals("intrusion-set"), 10).total()).isEqualTo(1);
            index.close();
        }
    }

    @Test
    void sightingCountsMadeByTheDatabaseAgreeWithTheSightingsRows()
            throws Exception
    {
        Random random = new Random(7);
        try (ObjectStore store = openStore(directory); SearchDatabase database = openSearchDatabase(directory)) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Sightings"));
            store.createCollection(CollectionInfo.of(OTHER, "More sightings"));
            List<String> markings = List.of(TlpMarkings.Tlp.GREEN.id(), TlpMarkings.Tlp.AMBER.id(), "marking-definition--" + new UUID(random.nextLong(), random.nextLong()));
            // Ids whose order differs between code points and a locale's collation (case, hyphens).
            List<String> sighted = new ArrayList<>(List.of("x-Upper--1", "x-lower--1", "x-upper--1", "x--lower--1"));
            for (int index = 0; index < 12; index++) {
                sighted.add("indicator--" + new UUID(random.nextLong(), random.nextLong()));
            }
            List<String> creators = Arrays.asList(null, "identity--" + new UUID(random.nextLong(), random.nextLong()), "identity--" + new UUID(random.nextLong(), random.nextLong()));
            List<String> ids = new ArrayList<>();
            for (int index = 0; index < 400; index++) {
                boolean newVersion = !ids.isEmpty() && random.nextInt(5) == 0;
                String id = newVersion ? ids.get(random.nextInt(ids.size())) : "sighting--" + new UUID(random.nextLong(), random.nextLong());
                if (!newVersion) {
                    ids.add(id);
                }
                List<String> refs = new ArrayList<>();
                markings.forEach(marking -> {
                    if (random.nextInt(3) == 0) {
                        refs.add(marking);
                    }
                });
                // Some times before 1970: buckets are floors, also below zero.
                Instant time = Instant.parse("1969-12-31T20:00:00Z").plusMillis(random.nextLong(Duration.ofDays(2).toMillis()));
                store.addObjects(index % 3 == 0 ? OTHER : COLLECTION, List.of(sighting(id, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(index), sighted.get(random.nextInt(sighted.size())),
                        time, 1 + random.nextInt(9), creators.get(random.nextInt(creators.size())), refs)));
            }
            store.deleteObject(COLLECTION, ids.get(1), VersionFilter.ALL, List.of());
            SearchIndex index = new SearchIndex(store, database);
            index.start();
            index.awaitWarm();
            List<String> collections = List.of(COLLECTION, OTHER);
            List<Map.Entry<IndexEntry, SearchIndex.SightingFacts>> rows = new ArrayList<>();
            collections.forEach(collection -> rows.addAll(index.sightings(collection)));
            SightingQueries queries = index.sightingQueries();

            // Per facet: sightings, total count, first and last time.
            Map<String, String> facets = new TreeMap<>();
            Map<String, List<SearchIndex.SightingFacts>> grouped = new TreeMap<>();
            rows.forEach(row -> grouped.computeIfAbsent(row.getKey().collectionId() + "|" + String.join(" ", row.getKey().markingRefs()) + "|" + row.getKey().createdByRef().orElse("-"),
                    key -> new ArrayList<>()).add(row.getValue()));
            grouped.forEach((key, facts) -> facets.put(key, facts.size() + " " + facts.stream().mapToLong(SearchIndex.SightingFacts::count).sum() + " "
                    + facts.stream().map(SearchIndex.SightingFacts::time).min(Comparator.naturalOrder()).orElseThrow() + " "
                    + facts.stream().map(SearchIndex.SightingFacts::time).max(Comparator.naturalOrder()).orElseThrow()));
            Map<String, String> counted = new TreeMap<>();
            queries.facets(collections, Optional.empty(), Optional.empty()).forEach(facet -> counted.put(facet.collectionId() + "|" + facet.markingSet() + "|" + facet.createdByRef().orElse("-"),
                    facet.sightings() + " " + facet.count() + " " + facet.first() + " " + facet.last()));
            assertThat(counted).isEqualTo(facets);

            List<String> sets = facets.keySet().stream().map(key -> key.split("\\|")[1]).distinct().sorted().toList();
            for (int round = 0; round < 20; round++) {
                List<String> allowed = sets.stream().filter(set -> random.nextBoolean()).toList();
                Optional<Instant> from = random.nextBoolean() ? Optional.of(Instant.parse("1969-12-31T22:00:00Z").plusSeconds(random.nextInt(86_400))) : Optional.empty();
                Optional<Instant> to = from.map(start -> start.plusSeconds(random.nextInt(86_400)));
                List<Map.Entry<IndexEntry, SearchIndex.SightingFacts>> kept = rows.stream()
                        .filter(row -> allowed.contains(String.join(" ", row.getKey().markingRefs())))
                        .filter(row -> from.map(start -> !row.getValue().time().isBefore(start)).orElse(true) && to.map(end -> row.getValue().time().isBefore(end)).orElse(true))
                        .toList();
                SightingQueries.Filter filter = new SightingQueries.Filter(collections, allowed, from, to);

                // Per sighted object: sightings, total count, last time; the most sighted first, then by id.
                Map<String, List<SearchIndex.SightingFacts>> perSighted = new TreeMap<>();
                kept.forEach(row -> perSighted.computeIfAbsent(row.getValue().sightedId(), key -> new ArrayList<>()).add(row.getValue()));
                List<String> mostSighted = perSighted.entrySet().stream()
                        .sorted(Comparator.comparing((Map.Entry<String, List<SearchIndex.SightingFacts>> entry) -> entry.getValue().size()).reversed()
                                .thenComparing(Map.Entry::getKey))
                        .limit(5)
                        .map(entry -> entry.getKey() + "=" + entry.getValue().size() + " " + entry.getValue().stream().mapToLong(SearchIndex.SightingFacts::count).sum() + " "
                                + entry.getValue().stream().map(SearchIndex.SightingFacts::time).max(Comparator.naturalOrder()).orElseThrow())
                        .toList();
                SightingQueries.MostSighted most = queries.mostSighted(filter, 5);
                assertThat(most.rows()).extracting(row -> row.sightedId() + "=" + row.sightings() + " " + row.count() + " " + row.last()).as("round " + round).isEqualTo(mostSighted);
                assertThat(most.sightedObjects()).isEqualTo(perSighted.size());

                Duration length = List.of(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1)).get(random.nextInt(3));
                Map<Instant, Long> buckets = new TreeMap<>();
                kept.forEach(row -> buckets.merge(Instant.ofEpochMilli(Math.floorDiv(row.getValue().time().toEpochMilli(), length.toMillis()) * length.toMillis()), 1L, Long::sum));
                assertThat(queries.buckets(filter, length)).as("round " + round + " " + length).isEqualTo(buckets);

                List<String> latest = kept.stream()
                        .sorted(Comparator.comparing((Map.Entry<IndexEntry, SearchIndex.SightingFacts> row) -> row.getValue().time()).reversed()
                                .thenComparing(row -> row.getKey().id()))
                        .map(row -> row.getKey().id()).toList();
                assertThat(queries.latest(filter, Optional.of(10))).extracting(SightingQueries.Sighting::id).isEqualTo(latest.subList(0, Math.min(10, latest.size())));
                assertThat(queries.latest(filter, Optional.empty())).hasSize(latest.size());
            }
            // The names of some sightings, one deleted and an id never stored: one row per collection holding each.
            List<String> asked = List.of(ids.get(0), ids.get(1), ids.get(2), "indicator--" + UUID.randomUUID());
            assertThat(queries.names(collections, asked)).extracting(named -> named.collectionId() + "|" + named.id() + "|" + named.name())
                    .containsExactlyInAnyOrderElementsOf(rows.stream().filter(row -> asked.contains(row.getKey().id()))
                            .map(row -> row.getKey().collectionId() + "|" + row.getKey().id() + "|" + row.getKey().name()).toList());
            index.close();
        }
    }

    private static StixObject sighting(String id, Instant modified, String sightedId, Instant firstSeen, int count, String createdBy, List<String> markingRefs)
    {
        return StixObject.fromJson("{\"type\":\"sighting\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2025-01-01T00:00:00.000Z\",\"modified\":\""
                + modified + "\",\"sighting_of_ref\":\"" + sightedId + "\",\"first_seen\":\"" + firstSeen + "\",\"count\":" + count
                + (createdBy == null ? "" : ",\"created_by_ref\":\"" + createdBy + "\"")
                + (markingRefs.isEmpty() ? "" : ",\"object_marking_refs\":[\"" + String.join("\",\"", markingRefs) + "\"]") + "}");
    }

    static StixObject campaign(String id, String modified, String name, String description)
    {
        return StixObject.fromJson("{\"type\":\"campaign\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2025-01-01T00:00:00.000Z\",\"modified\":\""
                + modified + "\",\"name\":\"" + name + "\",\"description\":\"" + description + "\"}");
    }

    // Every word of the query in the text, the last one as a prefix of a word.
    private static Set<String> reference(Map<String, String> texts, String query)
    {
        List<String> wanted = Arrays.asList(query.toLowerCase(Locale.ROOT).split(" "));
        String last = wanted.get(wanted.size() - 1);
        Set<String> found = new TreeSet<>();
        texts.forEach((id, text) -> {
            Set<String> words = new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split(" ")));
            if (words.containsAll(wanted.subList(0, wanted.size() - 1)) && words.stream().anyMatch(word -> word.startsWith(last))) {
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
