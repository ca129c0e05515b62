package org.vigie.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.vigie.stix.StixObject;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Event;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up short cut that skips Flyway when the schema history is already current. */
public class SqlSchemaHistoryTest
{
    @TempDir
    Path directory;

    @Test
    public void migrationListMatchesEveryVendorFolder()
            throws IOException, URISyntaxException
    {
        for (String folder : List.of("sqlite", "postgresql")) {
            URL location = SqlObjectStore.class.getClassLoader().getResource("db/migration/" + folder);
            assertThat(location).as(folder).isNotNull();
            try (Stream<Path> files = Files.list(Path.of(location.toURI()))) {
                assertThat(files.map(file -> file.getFileName().toString()).sorted().toList()).as(folder).isEqualTo(SqlObjectStore.MIGRATIONS);
            }
        }
    }

    @Test
    public void freshlyMigratedStoreIsCurrentAndReopens()
    {
        Path file = directory.resolve("store.db");
        SQLiteDataSource dataSource = dataSource(file);
        assertThat(SqlObjectStore.schemaIsCurrent(dataSource, "sqlite")).isFalse();
        ObjectStores.sqlite(file, InstantSource.system()).close();
        // Flyway wrote the history: the checksums computed here must equal its own.
        assertThat(SqlObjectStore.schemaIsCurrent(dataSource, "sqlite")).isTrue();
        try (ObjectStore reopened = ObjectStores.sqlite(file, InstantSource.system())) {
            reopened.createCollection(CollectionInfo.of("c", "reopened"));
            assertThat(reopened.listCollections()).extracting(CollectionInfo::id).containsExactly("c");
        }
    }

    @Test
    public void editedMigrationFallsBackToFlywayWhichReportsIt()
            throws SQLException
    {
        Path file = directory.resolve("store.db");
        ObjectStores.sqlite(file, InstantSource.system()).close();
        SQLiteDataSource dataSource = dataSource(file);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE script = 'V2__events.sql'");
        }
        assertThat(SqlObjectStore.schemaIsCurrent(dataSource, "sqlite")).isFalse();
        assertThatThrownBy(() -> ObjectStores.sqlite(file, InstantSource.system()))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_MIGRATION_FAILED));
    }

    @Test
    public void missingMigrationIsNotCurrent()
            throws SQLException
    {
        Path file = directory.resolve("store.db");
        ObjectStores.sqlite(file, InstantSource.system()).close();
        SQLiteDataSource dataSource = dataSource(file);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM flyway_schema_history WHERE script = 'V2__events.sql'");
        }
        assertThat(SqlObjectStore.schemaIsCurrent(dataSource, "sqlite")).isFalse();
    }

    @Test
    public void eventsWrittenBeforeVersion3AreKeptByItsMigration()
    {
        Path file = directory.resolve("store.db");
        SQLiteDataSource dataSource = dataSource(file);
        // A store as a release with migrations 1 and 2 left it, then opened by this one.
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").target("2").load().migrate();
        List<Event> before;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("""
                    INSERT INTO events (sequence, collection_id, object_id, version, kind, date_added) VALUES
                    (1, 'c', 'indicator--00000000-0000-4000-8000-000000000001', '2024-01-01T00:00:00.000000000Z', 'ADDED', 1704067200000000),
                    (2, 'c', 'indicator--00000000-0000-4000-8000-000000000001', '2024-01-01T00:00:00.000000000Z', 'DELETED', 1704067200000001)""");
            statement.executeUpdate("UPDATE event_sequence SET last_sequence = 2");
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        try (ObjectStore store = ObjectStores.sqlite(file, InstantSource.system())) {
            before = store.events().poll(store.events().beginning(), 10).events();
            assertThat(before).extracting(Event::sequence).containsExactly(1L, 2L);
            assertThat(before).extracting(Event::kind).containsExactly(Event.Kind.ADDED, Event.Kind.DELETED);
            assertThat(before.get(0).dateAdded()).isEqualTo(StoreText.fromMicros(1704067200000000L));
            // New events continue the sequence in the rebuilt table.
            store.createCollection(CollectionInfo.of("c", "migrated"));
            store.addObjects("c", List.of(TestObjects.version("indicator--00000000-0000-4000-8000-000000000002",
                    java.time.Instant.parse("2024-02-01T00:00:00Z"), java.time.Instant.parse("2024-02-01T00:00:00Z"), "2.1", "new")));
            assertThat(store.events().poll(store.events().beginning(), 10).events()).extracting(Event::sequence).containsExactly(1L, 2L, 3L);
        }
        assertThat(SqlObjectStore.schemaIsCurrent(dataSource, "sqlite")).isTrue();
    }

    @Test
    public void version4MarksTheLatestVersionsOfAnExistingStore()
            throws SQLException
    {
        Path file = directory.resolve("store.db");
        SQLiteDataSource dataSource = dataSource(file);
        // A store as a release with migrations 1 to 3 left it: versions of two objects, stored out of order.
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").target("3").load().migrate();
        String collection = "0c1f2b8e-7f3a-4d2e-9a41-5b6c7d8e9f01";
        String first = "malware--00000000-0000-4000-8000-000000000001";
        String second = "indicator--00000000-0000-4000-8000-000000000002";
        Instant t1 = Instant.parse("2021-01-01T00:00:00Z");
        Instant t2 = Instant.parse("2021-01-02T00:00:00Z");
        Instant t3 = Instant.parse("2021-01-03T00:00:00Z");
        List<StixObject> rows = List.of(
                TestObjects.version(first, t1, t2, "2.1", "first two"),
                TestObjects.version(first, t1, t3, "2.1", "first three"),
                TestObjects.version(first, t1, t1, "2.1", "first one"),
                TestObjects.version(second, t1, t3, "2.1", "second three"),
                TestObjects.version(second, t1, t2, "2.1", "second two"));
        insertOldRows(dataSource, collection, rows, false);
        try (ObjectStore store = ObjectStores.sqlite(file, InstantSource.system())) {
            assertThat(store.findObjects(collection, ObjectQuery.all(10)).objects()).extracting(StoredObject::object).containsExactly(rows.get(1), rows.get(3));
            // Kept up to date from there on.
            assertThat(store.deleteObject(collection, first, VersionFilter.LAST, List.of())).isEqualTo(1);
            assertThat(store.findObjects(collection, ObjectQuery.all(10)).objects()).extracting(StoredObject::object).containsExactly(rows.get(0), rows.get(3));
        }
        assertThat(SqlObjectStore.schemaIsCurrent(dataSource, "sqlite")).isTrue();
    }

    @Test
    public void version7HashesTheIdsOfAnExistingStore()
            throws SQLException
    {
        Path file = directory.resolve("store.db");
        SQLiteDataSource dataSource = dataSource(file);
        // A store as a release with migrations 1 to 6 left it (4 KiB pages, the default then).
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").target("6").load().migrate();
        String collection = "0c1f2b8e-7f3a-4d2e-9a41-5b6c7d8e9f01";
        List<StixObject> rows = new ArrayList<>();
        for (int index = 0; index < 50; index++) {
            rows.add(TestObjects.version("indicator--" + UUID.nameUUIDFromBytes(new byte[] {(byte) index}), Instant.parse("2021-01-01T00:00:00Z"),
                    Instant.parse("2021-01-01T00:00:00Z"), "2.1", "object " + index));
        }
        // Each object is its only version: its latest.
        insertOldRows(dataSource, collection, rows, true);
        try (ObjectStore store = ObjectStores.sqlite(file, InstantSource.system())) {
            assertThat(store.findObjects(collection, ObjectQuery.all(100)).objects()).extracting(StoredObject::object).containsExactlyElementsOf(rows);
            assertThat(store.findObjects(collection, ObjectQuery.all(100).withIds(List.of(rows.get(7).id()))).objects())
                    .extracting(StoredObject::dateAdded).containsExactly(StoreText.fromMicros(1704067200000007L));
            assertThat(store.addObjects(collection, List.of(rows.get(3)))).extracting(AddOutcome::result).containsExactly(AddOutcome.Result.DUPLICATE);
        }
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet hashes = statement.executeQuery("SELECT object_id, id_hash FROM objects")) {
                int count = 0;
                while (hashes.next()) {
                    assertThat(hashes.getLong(2)).as(hashes.getString(1)).isEqualTo(ObjectIdHash.of(hashes.getString(1)));
                    count++;
                }
                assertThat(count).isEqualTo(rows.size());
            }
            // The file keeps the page size it was created with.
            try (ResultSet pageSize = statement.executeQuery("PRAGMA page_size")) {
                assertThat(pageSize.next()).isTrue();
                assertThat(pageSize.getInt(1)).isEqualTo(4096);
            }
        }
        assertThat(SqlObjectStore.schemaIsCurrent(dataSource, "sqlite")).isTrue();
    }

    @Test
    public void idHashIsTheFirstEightBytesOfTheSha256OfTheId()
            throws NoSuchAlgorithmException
    {
        String id = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        assertThat(ObjectIdHash.of(id)).isEqualTo(ByteBuffer.wrap(digest).getLong());
        // Stable across releases: stored hashes must keep finding their rows.
        assertThat(ObjectIdHash.of("malware--00000000-0000-4000-8000-000000000001")).isEqualTo(ObjectIdHash.of("malware--00000000-0000-4000-8000-000000000001"));
    }

    @Test
    public void unknownScriptHasNoChecksum()
    {
        assertThat(SqlObjectStore.flywayChecksum("db/migration/sqlite/V99__absent.sql")).isEmpty();
    }

    /**
     * Stores {@code rows} as an older release did, in collection 1 ({@code collection}), dated one microsecond apart
     * from 1704067200000000; {@code markLatest} sets the latest marker (migration 4) of every row.
     */
    private static void insertOldRows(SQLiteDataSource dataSource, String collection, List<StixObject> rows, boolean markLatest)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO objects (collection_key, object_id, version, type, spec_version, created, modified, date_added, json)
                        VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            statement.executeUpdate("INSERT INTO collections (collection_key, id, title, media_types, last_date_added) VALUES (1, '" + collection + "', 'old', '[]', "
                    + (1704067200000000L + rows.size() - 1) + ")");
            for (int index = 0; index < rows.size(); index++) {
                StixObject object = rows.get(index);
                insert.setString(1, object.id());
                insert.setString(2, StoreText.instantKey(object.modified().orElseThrow()));
                insert.setString(3, object.type());
                insert.setString(4, object.specVersion());
                insert.setString(5, StoreText.instantKey(object.created().orElseThrow()));
                insert.setString(6, StoreText.instantKey(object.modified().orElseThrow()));
                insert.setLong(7, 1704067200000000L + index);
                insert.setString(8, object.json());
                insert.executeUpdate();
            }
            if (markLatest) {
                statement.executeUpdate("UPDATE objects SET latest = 1");
            }
        }
    }

    private static SQLiteDataSource dataSource(Path file)
    {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }
}
