package org.vigie.store;

import static java.util.Objects.requireNonNull;

/** Failure injection for tests of code built on the store (the event log's "only committed changes" rule). */
public final class StoreFaults
{
    private StoreFaults() {}

    /**
     * Makes the next write of {@code store} that changes objects fail with {@code failure}: the database stores
     * raise it after appending the write's events, inside the transaction, so it is rolled back.
     */
    public static void failNextWrite(ObjectStore store, RuntimeException failure)
    {
        requireNonNull(store, "store is null");
        requireNonNull(failure, "failure is null");
        if (store instanceof SqlObjectStore sql) {
            sql.failNextWrite(failure);
        }
        else if (store instanceof InMemoryObjectStore memory) {
            memory.failNextWrite(failure);
        }
        else {
            throw new IllegalArgumentException("no failure injection for " + store.getClass().getName());
        }
    }
}
