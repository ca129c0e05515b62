package org.vigie.store.migration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.StixObject;
import org.vigie.store.AddOutcome;
import org.vigie.store.ApiToken;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;
import org.vigie.store.TaxiiStatus;
import org.vigie.store.TestClock;
import org.vigie.store.TestObjects;
import org.vigie.store.UserAccount;
import org.vigie.store.VersionFilter;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.EventBatch;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migrates a filled SQLite store into a real PostgreSQL server and checks that both answer alike. */
public class PostgresStoreMigrationTest
{
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final List<VersionFilter> FILTERS = List.of(VersionFilter.ALL, VersionFilter.FIRST, VersionFilter.LAST,
            new VersionFilter(true, true, false, List.of()));
    private static EmbeddedPostgres postgres;

    @TempDir
    Path directory;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeAll
    public static void startPostgres()
            throws IOException
    {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    public static void stopPostgres()
            throws IOException
    {
        postgres.close();
    }

    @Test
    public void copiesEveryTableAndAnswersEveryQueryAlike()
    {
        StoreConfig source = StoreConfig.sqlite(directory.resolve("vigie.db"));
        Filled filled = fill(source);
        StoreConfig target = newDatabase();

        MigrationSummary summary = StoreMigration.copy(source, target, clock);

        assertThat(summary.rows("collections")).isEqualTo(filled.collections().size());
        assertThat(summary.rows("users")).isEqualTo(2);
        assertThat(summary.rows("tokens")).isEqualTo(2);
        assertThat(summary.rows("statuses")).isEqualTo(2);
        assertThat(summary.rows("event_consumers")).isEqualTo(1);
        assertThat(summary.rows("events")).isEqualTo(filled.events());
        assertThat(summary.tables()).extracting(MigrationSummary.TableSummary::name).containsExactlyElementsOf(StoreMigration.tables());
        assertThat(summary.lines()).hasSize(1 + StoreMigration.tables().size() + filled.collections().size());

        try (ObjectStore expected = ObjectStores.open(source, clock); ObjectStore actual = ObjectStores.open(target, clock)) {
            assertThat(actual.listCollections()).isEqualTo(expected.listCollections());
            long versions = 0;
            for (CollectionInfo collection : expected.listCollections()) {
                String id = collection.id();
                assertThat(actual.countObjects(id)).isEqualTo(expected.countObjects(id));
                versions += expected.countObjects(id);
                assertThat(summary.collections()).contains(new MigrationSummary.CollectionSummary(id, expected.countObjects(id),
                        summary.collections().stream().filter(c -> c.collectionId().equals(id)).findFirst().orElseThrow().checksum()));
                for (VersionFilter filter : FILTERS) {
                    for (int limit : List.of(1, 7, 1_000)) {
                        List<ObjectPage> expectedPages = pages(expected, id, ObjectQuery.all(limit).withVersions(filter));
                        assertThat(pages(actual, id, ObjectQuery.all(limit).withVersions(filter))).isEqualTo(expectedPages);
                    }
                    // Paging by date added from the middle of the collection, and with spec versions and types.
                    List<ObjectPage> all = pages(expected, id, ObjectQuery.all(1_000).withVersions(VersionFilter.ALL));
                    List<Instant> dates = all.stream().flatMap(page -> page.objects().stream()).map(org.vigie.store.StoredObject::dateAdded).toList();
                    if (!dates.isEmpty()) {
                        ObjectQuery middle = ObjectQuery.all(5).withVersions(filter).withAddedAfter(dates.get(dates.size() / 2));
                        assertThat(pages(actual, id, middle)).isEqualTo(pages(expected, id, middle));
                    }
                    ObjectQuery indicators = ObjectQuery.all(4).withVersions(filter).withTypes(List.of("indicator"));
                    assertThat(pages(actual, id, indicators)).isEqualTo(pages(expected, id, indicators));
                    ObjectQuery oneObject = ObjectQuery.all(4).withVersions(filter).withIds(List.of(filled.versionedIds().get(3)));
                    assertThat(pages(actual, id, oneObject)).isEqualTo(pages(expected, id, oneObject));
                }
            }
            assertThat(summary.rows("objects")).isEqualTo(versions);

            assertThat(actual.listUsers()).isEqualTo(expected.listUsers());
            assertThat(actual.findUser("alice")).isEqualTo(expected.findUser("alice")).isPresent();
            assertThat(actual.findToken("token-1")).isEqualTo(expected.findToken("token-1")).isPresent();
            assertThat(actual.findToken("token-2")).isEqualTo(expected.findToken("token-2")).isPresent();
            assertThat(actual.findStatus("status-1")).isEqualTo(expected.findStatus("status-1")).isPresent();
            assertThat(actual.findStatus("status-2")).isEqualTo(expected.findStatus("status-2")).isPresent();

            EventBatch expectedEvents = expected.events().poll(expected.events().beginning(), 10_000);
            assertThat(actual.events().poll(actual.events().beginning(), 10_000)).isEqualTo(expectedEvents);
            assertThat(expectedEvents.events()).hasSize((int) filled.events());
            assertThat(actual.events().savedCursor("relay")).isEqualTo(expected.events().savedCursor("relay")).isPresent();

            // The target goes on where the source stopped: later dates added, later event sequences, new collection keys.
            String first = filled.collections().get(0);
            Instant lastDate = dates(expected, first).get(dates(expected, first).size() - 1);
            long lastSequence = expectedEvents.events().get(expectedEvents.events().size() - 1).sequence();
            List<AddOutcome> added = actual.addObjects(first, List.of(TestObjects.unversioned(TestObjects.newId("ipv4-addr"), "192.0.2.200")));
            assertThat(added.get(0).result()).isEqualTo(AddOutcome.Result.STORED);
            assertThat(added.get(0).dateAdded()).isAfter(lastDate);
            assertThat(actual.events().poll(expectedEvents.next(), 10).events()).singleElement()
                    .satisfies(event -> assertThat(event.sequence()).isEqualTo(lastSequence + 1));
            actual.createCollection(CollectionInfo.of("migrated-later", "Created after the migration"));
            actual.addObjects("migrated-later", List.of(TestObjects.unversioned(TestObjects.newId("ipv4-addr"), "192.0.2.201")));
            assertThat(actual.countObjects("migrated-later")).isEqualTo(1);
            assertThat(actual.countObjects(first)).isEqualTo(expected.countObjects(first) + 1);
        }
    }

    @Test
    public void refusesANonEmptyTargetAndDetectsDifferences()
            throws SQLException
    {
        StoreConfig source = StoreConfig.sqlite(directory.resolve("vigie.db"));
        fill(source);
        StoreConfig target = newDatabase();
        StoreMigration.copy(source, target, clock);

        assertThatThrownBy(() -> StoreMigration.copy(source, target, clock))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("target store " + target.url() + " is not empty")
                .hasMessageContaining("objects (");

        // Verification compares the databases themselves: a lost row is reported by table and collection.
        String database = target.url().substring(target.url().lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection connection = postgres.getDatabase("postgres", database).getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM objects WHERE date_added = (SELECT MAX(date_added) FROM objects)");
        }
        assertThatThrownBy(() -> StoreMigration.verify(source, target))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_MIGRATION_FAILED))
                .hasMessageContaining("table objects has")
                .hasMessageContaining("collection ");

        assertThatThrownBy(() -> StoreMigration.copy(source, source, clock))
                .hasMessageContaining("into itself");
    }

    private record Filled(List<String> collections, List<String> versionedIds, long events)
    {
    }

    private Filled fill(StoreConfig config)
    {
        Random random = new Random(20261122);
        List<String> collections = List.of("collection-a", "collection-b", "collection-empty");
        List<String> versionedIds = new ArrayList<>();
        for (int index = 0; index < 12; index++) {
            versionedIds.add(TestObjects.deterministicId(index % 3 == 0 ? "malware" : "indicator", index));
        }
        long events = 0;
        try (ObjectStore store = ObjectStores.open(config, clock)) {
            store.createCollection(new CollectionInfo(collections.get(0), "Alpha", Optional.of("First collection"), Optional.of("alpha"),
                    List.of(CollectionInfo.STIX_21_MEDIA_TYPE)));
            store.createCollection(CollectionInfo.of(collections.get(1), "Beta"));
            store.createCollection(CollectionInfo.of(collections.get(2), "Empty"));
            for (String collection : collections.subList(0, 2)) {
                for (int round = 0; round < 4; round++) {
                    List<StixObject> batch = new ArrayList<>();
                    for (String id : versionedIds) {
                        if (random.nextInt(4) != 0) {
                            Instant modified = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(round * 3_600L + random.nextInt(60));
                            batch.add(TestObjects.version(id, Instant.parse("2024-12-01T00:00:00Z"), modified, "2.1", "round " + round));
                        }
                    }
                    // A 2.0 version of one object, so that the latest-spec-version rule has something to drop.
                    batch.add(TestObjects.version(versionedIds.get(1), Instant.parse("2024-12-01T00:00:00Z"),
                            Instant.parse("2025-02-01T00:00:00Z").plusSeconds(round), "2.0", "old spec"));
                    batch.add(TestObjects.unversioned(TestObjects.deterministicId("ipv4-addr", round), "198.51.100." + round));
                    events += store.addObjects(collection, batch).stream().filter(outcome -> outcome.result() == AddOutcome.Result.STORED).count();
                    clock.advance(Duration.ofSeconds(1));
                }
                events += store.deleteObject(collection, versionedIds.get(2), VersionFilter.FIRST, List.of());
                events += store.deleteObject(collection, versionedIds.get(4), VersionFilter.ALL, List.of("2.1"));
                events += store.deleteObject(collection, TestObjects.deterministicId("ipv4-addr", 1), VersionFilter.LAST, List.of());
            }
            store.addUser(new UserAccount("alice", "hash-a", List.of(collections.get(0)), List.of(collections.get(0)), false));
            store.addUser(new UserAccount("root", "hash-r", List.of(UserAccount.ALL_COLLECTIONS), List.of(UserAccount.ALL_COLLECTIONS), true));
            store.addToken(new ApiToken("token-1", "alice", "secret-1", clock.instant()));
            store.addToken(new ApiToken("token-2", "root", "secret-2", clock.instant()));
            store.saveStatus(new TaxiiStatus("status-1", collections.get(0), TaxiiStatus.Status.COMPLETE, clock.instant(),
                    List.of(new TaxiiStatus.Detail(versionedIds.get(0), Optional.of("2025-01-01T00:00:00Z"), Optional.empty())),
                    List.of(new TaxiiStatus.Detail(versionedIds.get(1), Optional.empty(), Optional.of("invalid"))), List.of()));
            store.saveStatus(new TaxiiStatus("status-2", collections.get(1), TaxiiStatus.Status.PENDING, clock.instant(), List.of(), List.of(),
                    List.of(new TaxiiStatus.Detail(versionedIds.get(5), Optional.empty(), Optional.empty()))));
            Cursor cursor = store.events().poll(store.events().beginning(), 10).next();
            store.events().saveCursor("relay", cursor);
        }
        return new Filled(collections, versionedIds, events);
    }

    private static List<ObjectPage> pages(ObjectStore store, String collection, ObjectQuery query)
    {
        List<ObjectPage> pages = new ArrayList<>();
        ObjectPage page = store.findObjects(collection, query);
        pages.add(page);
        while (page.more()) {
            page = store.findObjects(collection, query.withNext(page.next().orElseThrow()));
            pages.add(page);
        }
        return pages;
    }

    private static List<Instant> dates(ObjectStore store, String collection)
    {
        return pages(store, collection, ObjectQuery.all(1_000).withVersions(VersionFilter.ALL)).stream()
                .flatMap(page -> page.objects().stream())
                .map(org.vigie.store.StoredObject::dateAdded)
                .toList();
    }

    private static StoreConfig newDatabase()
    {
        String database = "migration_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database, e);
        }
        return new StoreConfig(postgres.getJdbcUrl("postgres", database), Optional.of("postgres"), Optional.empty(), 2);
    }
}
