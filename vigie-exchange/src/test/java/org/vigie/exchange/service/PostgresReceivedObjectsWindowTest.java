package org.vigie.exchange.service;

import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestDatabase;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.nio.file.Path;

class PostgresReceivedObjectsWindowTest
        extends ReceivedObjectsWindowTest
{
    @Override
    protected TestDatabase newDatabase(Path directory)
    {
        return TestDatabase.postgresql();
    }

    @Override
    protected ObjectStore newStore(Path directory, MutableClock clock)
    {
        return ObjectStores.open(TestDatabase.newPostgresDatabase("store"), clock);
    }
}
