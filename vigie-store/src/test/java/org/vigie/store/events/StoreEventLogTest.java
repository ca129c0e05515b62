package org.vigie.store.events;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.nio.file.Path;
import java.time.InstantSource;

/** The contract on the store's own logs: in memory and SQLite (PostgreSQL: {@link PostgresEventLogTest}). */
public class StoreEventLogTest
{
    @Nested
    public class InMemory
            extends EventLogContractTest
    {
        @Override
        protected ObjectStore createStore(InstantSource clock)
        {
            return ObjectStores.inMemory(clock);
        }
    }

    @Nested
    public class Sqlite
            extends EventLogContractTest
    {
        @TempDir
        Path directory;

        @Override
        protected ObjectStore createStore(InstantSource clock)
        {
            return ObjectStores.sqlite(directory.resolve("events.db"), clock);
        }
    }
}
