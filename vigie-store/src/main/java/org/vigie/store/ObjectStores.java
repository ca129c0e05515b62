package org.vigie.store;

import java.nio.file.Path;
import java.time.InstantSource;

/** Creates object stores. */
public final class ObjectStores
{
    private ObjectStores() {}

    /** A store held in memory, lost on close; the reference implementation used in tests. */
    public static ObjectStore inMemory(InstantSource clock)
    {
        return new InMemoryObjectStore(clock);
    }

    /** A store in an SQLite database file, created and migrated to the current schema if needed. */
    public static ObjectStore sqlite(Path databaseFile, InstantSource clock)
    {
        return open(StoreConfig.sqlite(databaseFile), clock);
    }

    /** A store in the database {@code config} names (SQLite or PostgreSQL), migrated to the current schema. */
    public static ObjectStore open(StoreConfig config, InstantSource clock)
    {
        return SqlObjectStore.open(config, clock);
    }
}
