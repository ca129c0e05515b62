package org.vigie.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

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
