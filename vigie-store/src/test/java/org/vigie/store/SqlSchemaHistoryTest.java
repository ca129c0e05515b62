package org.vigie.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Event;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.List;
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
    public void unknownScriptHasNoChecksum()
    {
        assertThat(SqlObjectStore.flywayChecksum("db/migration/sqlite/V99__absent.sql")).isEmpty();
    }

    private static SQLiteDataSource dataSource(Path file)
    {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }
}
