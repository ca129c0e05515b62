package org.vigie.exchange.service;

import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestDatabase;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.nio.file.Path;

class SqliteReceivedObjectsWindowTest
        extends ReceivedObjectsWindowTest
{
    @Override
    protected TestDatabase newDatabase(Path directory)
    {
        return TestDatabase.sqlite(directory.resolve("b-exchange.db"));
    }

    @Override
    protected ObjectStore newStore(Path directory, MutableClock clock)
    {
        return ObjectStores.sqlite(directory.resolve("b-store.db"), clock);
    }
}
