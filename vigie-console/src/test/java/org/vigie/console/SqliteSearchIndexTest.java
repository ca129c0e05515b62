package org.vigie.console;

import org.junit.jupiter.api.Test;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

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
                assertThat(result.getString(1)).contains("fts5", "content=''", "contentless_delete=1");
            }
        }
    }
}
