package org.vigie.store;

import org.vigie.stix.StixObject;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applies a seeded random history of adds, new versions, deletes and clock moves to a store and to the
 * in-memory reference model, and checks that every outcome and every query (paged) agree.
 */
public final class ModelCheck
{
    private static final String COLLECTION = "0b6c3c9a-1f55-4c1e-8d1a-3f3c2e9d4a10";
    private static final List<String> SPEC_VERSIONS = List.of("2.0", "2.1");
    private static final List<Instant> VERSIONS = List.of(
            Instant.parse("2020-01-01T00:00:00Z"),
            Instant.parse("2020-01-01T00:00:00.001Z"),
            Instant.parse("2020-06-01T12:00:00.123456Z"),
            Instant.parse("2021-03-04T05:06:07.123456789Z"),
            Instant.parse("2023-12-31T23:59:59.999Z"));

    private ModelCheck() {}

    public static void run(long seed, Function<InstantSource, ObjectStore> storeFactory, int steps)
    {
        Random random = new Random(seed);
        Instant start = Instant.parse("2024-01-01T00:00:00Z").plusNanos(random.nextInt(1_000_000_000));
        TestClock clock = new TestClock(start);
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < 12; index++) {
            ids.add(TestObjects.deterministicId(List.of("indicator", "malware", "ipv4-addr").get(index % 3), seed * 100 + index));
        }
        int step = 0;
        try (ObjectStore store = storeFactory.apply(clock); ObjectStore model = ObjectStores.inMemory(clock)) {
            store.createCollection(CollectionInfo.of(COLLECTION, "model"));
            model.createCollection(CollectionInfo.of(COLLECTION, "model"));
            for (step = 0; step < steps; step++) {
                int action = random.nextInt(10);
                if (action < 5) {
                    List<StixObject> batch = new ArrayList<>();
                    int size = 1 + random.nextInt(random.nextBoolean() ? 3 : 25);
                    for (int index = 0; index < size; index++) {
                        batch.add(randomObject(random, ids));
                    }
                    // Half the time through the chunked add, cut at random places (empty chunks included).
                    List<AddOutcome> outcomes = random.nextBoolean() ? store.addObjects(COLLECTION, batch) : store.addObjectChunks(COLLECTION, randomChunks(random, batch).iterator());
                    assertThat(outcomes).isEqualTo(model.addObjects(COLLECTION, batch));
                }
                else if (action < 6) {
                    // Several versions of one object in one call, in random order, some of equal timestamps: what
                    // the stored latest-version marker of the SQL stores must settle within a transaction.
                    String id = ids.get(random.nextInt(ids.size()));
                    List<StixObject> batch = new ArrayList<>();
                    int size = 2 + random.nextInt(5);
                    for (int index = 0; index < size; index++) {
                        batch.add(randomVersion(random, id));
                    }
                    assertThat(store.addObjects(COLLECTION, batch)).isEqualTo(model.addObjects(COLLECTION, batch));
                }
                else if (action < 8) {
                    String id = random.nextInt(8) == 0 ? "indicator--00000000-0000-4000-8000-000000000000" : ids.get(random.nextInt(ids.size()));
                    // Often the latest version (the default filters), whose removal makes an older version the latest.
                    boolean latest = random.nextInt(3) == 0;
                    VersionFilter versions = latest ? VersionFilter.LAST : randomVersionFilter(random);
                    List<String> specVersions = latest ? List.of() : randomSpecVersions(random);
                    assertThat(store.deleteObject(COLLECTION, id, versions, specVersions)).isEqualTo(model.deleteObject(COLLECTION, id, versions, specVersions));
                }
                else {
                    switch (random.nextInt(4)) {
                        case 0 -> clock.advance(Duration.ofNanos(random.nextInt(3_000)));
                        case 1 -> clock.advance(Duration.ofSeconds(-random.nextInt(3)));
                        default -> clock.advance(Duration.ofMillis(random.nextInt(5_000)).plusNanos(random.nextInt(1_000)));
                    }
                }
                assertThat(store.countObjects(COLLECTION)).isEqualTo(model.countObjects(COLLECTION));
                for (int query = 0; query < 3; query++) {
                    comparePaged(random, store, model, ids);
                }
            }
            compareEvents(random, store.events(), model.events());
        }
        catch (AssertionError | RuntimeException e) {
            throw new AssertionError("model check failed with seed " + seed + " at step " + step + " (rerun with -Dvigie.seed=" + seed + ")", e);
        }
    }

    private static void comparePaged(Random random, ObjectStore store, ObjectStore model, List<String> ids)
    {
        ObjectQuery query = new ObjectQuery(
                Optional.empty(),
                1 + random.nextInt(random.nextBoolean() ? 4 : 50),
                Optional.empty(),
                random.nextInt(3) == 0 ? pick(random, ids, 1 + random.nextInt(3)) : List.of(),
                random.nextInt(4) == 0 ? pick(random, List.of("indicator", "malware", "ipv4-addr", "tool"), 1 + random.nextInt(2)) : List.of(),
                randomVersionFilter(random),
                randomSpecVersions(random));
        ObjectPage first = model.findObjects(COLLECTION, query);
        if (random.nextInt(4) == 0 && !first.objects().isEmpty()) {
            // An explicit version equal to a date added, which selects unversioned objects.
            List<Instant> explicit = new ArrayList<>(query.versions().versions());
            explicit.add(first.objects().get(random.nextInt(first.objects().size())).dateAdded());
            VersionFilter versions = new VersionFilter(query.versions().first(), query.versions().last(), query.versions().all(), explicit);
            query = new ObjectQuery(query.addedAfter(), query.limit(), query.next(), query.ids(), query.types(), versions, query.specVersions());
        }
        if (random.nextInt(3) == 0 && !first.objects().isEmpty()) {
            // added_after inside the result, sometimes between two microseconds.
            Instant pivot = first.objects().get(random.nextInt(first.objects().size())).dateAdded();
            query = query.withAddedAfter(random.nextBoolean() ? pivot : pivot.minusNanos(1 + random.nextInt(999)));
        }
        for (int page = 0; page < 1_000; page++) {
            ObjectPage expected = model.findObjects(COLLECTION, query);
            ObjectPage actual = store.findObjects(COLLECTION, query);
            assertThat(actual).as("query %s", query).isEqualTo(expected);
            assertSerializedPage(store.findSerializedObjects(COLLECTION, query), expected, "query " + query);
            if (!expected.more()) {
                return;
            }
            query = query.withNext(expected.next().orElseThrow());
        }
        throw new AssertionError("paging did not end: " + query);
    }

    /** The serialized page holds exactly the expected page: each object's JSON as UTF-8, the same paging and dates added. */
    static void assertSerializedPage(SerializedPage actual, ObjectPage expected, String what)
    {
        List<String> expectedJson = expected.objects().stream().map(stored -> stored.object().json()).toList();
        List<String> actualJson = new ArrayList<>();
        for (int index = 0; index < actual.size(); index++) {
            byte[] copy = new byte[actual.jsonLength(index) + 2];
            // Copied at an offset, so that a wrong position or length shows.
            int end = actual.copyJson(index, copy, 1);
            assertThat(end).as(what).isEqualTo(copy.length - 1);
            actualJson.add(new String(copy, 1, copy.length - 2, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(actual.json(index)).as(what).isEqualTo(actualJson.get(index));
        }
        assertThat(actualJson).as(what).isEqualTo(expectedJson);
        assertThat(actual.more()).as(what).isEqualTo(expected.more());
        assertThat(actual.next()).as(what).isEqualTo(expected.next());
        assertThat(actual.firstDateAdded()).as(what).isEqualTo(expected.firstDateAdded());
        assertThat(actual.lastDateAdded()).as(what).isEqualTo(expected.lastDateAdded());
    }

    /** Both event logs hold the same events (sequence, change, date added), read in pages of random size. */
    private static void compareEvents(Random random, EventLog store, EventLog model)
    {
        assertThat(store.end()).isEqualTo(model.end());
        Cursor storeCursor = store.beginning();
        Cursor modelCursor = model.beginning();
        for (int page = 0; page < 100_000; page++) {
            int maximum = 1 + random.nextInt(random.nextBoolean() ? 3 : 40);
            EventBatch expected = model.poll(modelCursor, maximum);
            EventBatch actual = store.poll(storeCursor, maximum);
            assertThat(actual.events()).isEqualTo(expected.events());
            if (expected.isEmpty()) {
                assertThat(actual.next()).isEqualTo(store.end());
                return;
            }
            storeCursor = Cursor.decode(actual.next().encode());
            modelCursor = expected.next();
        }
        throw new AssertionError("event paging did not end");
    }

    private static StixObject randomObject(Random random, List<String> ids)
    {
        return randomVersion(random, ids.get(random.nextInt(ids.size())));
    }

    private static StixObject randomVersion(Random random, String id)
    {
        String specVersion = SPEC_VERSIONS.get(random.nextInt(SPEC_VERSIONS.size()));
        if (id.startsWith("ipv4-addr")) {
            return StixObject.fromJson("{\"type\":\"ipv4-addr\",\"spec_version\":\"" + specVersion + "\",\"id\":\"" + id + "\",\"value\":\"10.0.0." + random.nextInt(256) + "\"}");
        }
        Instant modified = VERSIONS.get(random.nextInt(VERSIONS.size()));
        return TestObjects.version(id, VERSIONS.get(0), modified, specVersion, "n" + random.nextInt(1000));
    }

    private static VersionFilter randomVersionFilter(Random random)
    {
        while (true) {
            List<Instant> explicit = random.nextInt(4) == 0 ? pick(random, VERSIONS, 1 + random.nextInt(2)) : List.of();
            boolean first = random.nextInt(3) == 0;
            boolean last = random.nextInt(2) == 0;
            boolean all = random.nextInt(6) == 0;
            if (first || last || all || !explicit.isEmpty()) {
                return new VersionFilter(first, last, all, explicit);
            }
        }
    }

    private static List<String> randomSpecVersions(Random random)
    {
        return switch (random.nextInt(4)) {
            case 0 -> List.of("2.0");
            case 1 -> List.of("2.1", "2.0");
            default -> List.of();
        };
    }

    private static <T> List<T> pick(Random random, List<T> values, int count)
    {
        List<T> picked = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            picked.add(values.get(random.nextInt(values.size())));
        }
        return picked;
    }

    private static List<List<StixObject>> randomChunks(Random random, List<StixObject> objects)
    {
        List<List<StixObject>> chunks = new ArrayList<>();
        int start = 0;
        while (start < objects.size()) {
            int end = start + random.nextInt(objects.size() - start + 1);
            chunks.add(objects.subList(start, end));
            start = end;
        }
        return chunks;
    }
}
