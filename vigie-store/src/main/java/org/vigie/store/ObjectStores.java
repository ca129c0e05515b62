package org.vigie.store;

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
}
