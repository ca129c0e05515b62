package org.vigie.console;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The search index contract on SQLite: the store's file and the index's own search.db beside it. */
class SqliteSearchIndexTest
        extends SearchIndexContractTest
{
    @Override
    ObjectStore openStore(Path directory)
    {
        return ObjectStores.sqlite(directory.resolve("vigie.db"), new TickingClock(Instant.parse("2026-03-01T10:00:00Z")));
    }

    @Override
    SearchDatabase openSearchDatabase(Path directory)
    {
        return SearchDatabase.sqlite(directory.resolve(SearchDatabase.SQLITE_FILE));
    }

    @Test
    void theBundledSqliteHasFts5AndTheWordsTableIsContentless()
            throws SQLException
    {
        try (SearchDatabase database = openSearchDatabase(directory); Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("SELECT sqlite_compileoption_used('ENABLE_FTS5')")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1)).as("sqlite-jdbc built with FTS5").isEqualTo(1);
            }
            try (ResultSet result = statement.executeQuery("SELECT sql FROM sqlite_schema WHERE name = 'search_text'")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).contains("fts5", "content=''", "contentless_delete=1", "detail=none", "tokenize='ascii'");
            }
        }
    }

    @Test
    void anIndexMadeBeforeHashedKeysIsBuiltAgainFromTheStore()
            throws SQLException
    {
        Path file = directory.resolve(SearchDatabase.SQLITE_FILE);
        SQLiteDataSource old = new SQLiteDataSource();
        old.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(old).locations("classpath:db/search/sqlite").table(SearchDatabase.HISTORY_TABLE).target("13").load().migrate();
        // An index the version-13 indexer had built and followed: an entry the store no longer holds, a position far on.
        try (Connection connection = old.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO search_entries (collection_id, object_id, type, name, name_key, version, date_added, marking_refs, marking_properties, edges)"
                    + " VALUES ('" + COLLECTION + "', 'campaign--00000000-0000-4000-8000-000000000001', 'campaign', 'Stale', 'stale', 0, 0, '', '{}', '[]')");
            statement.executeUpdate("INSERT INTO search_text (rowid, words) VALUES (1, 'stale')");
            statement.executeUpdate("UPDATE search_state SET cursor_text = 'x', built = TRUE");
        }
        String id = "campaign--" + UUID.randomUUID();
        try (ObjectStore store = openStore(directory); SearchDatabase database = openSearchDatabase(directory)) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Upgraded"));
            store.addObjects(COLLECTION, List.of(org.vigie.stix.StixObject.fromJson("{\"type\":\"campaign\",\"spec_version\":\"2.1\",\"id\":\"" + id
                    + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"Merlin\"}")));
            SearchIndex index = new SearchIndex(store, database);
            index.start();
            assertThat(index.search(List.of(COLLECTION), "merlin", entry -> true, 10).hits()).extracting(IndexEntry::id).containsExactly(id);
            assertThat(index.search(List.of(COLLECTION), "stale", entry -> true, 10).total()).isZero();
            index.close();
        }
    }
}
