package org.vigie.console;

import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.nio.file.Path;
import java.time.Instant;

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
}
