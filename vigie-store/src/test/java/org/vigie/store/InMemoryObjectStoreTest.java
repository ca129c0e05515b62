package org.vigie.store;

import java.time.InstantSource;

public class InMemoryObjectStoreTest
        extends ObjectStoreContractTest
{
    @Override
    protected ObjectStore createStore(InstantSource clock)
    {
        return ObjectStores.inMemory(clock);
    }
}
