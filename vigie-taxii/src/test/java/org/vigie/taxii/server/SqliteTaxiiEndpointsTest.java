package org.vigie.taxii.server;

import org.junit.jupiter.api.io.TempDir;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.testing.MutableClock;
import org.vigie.taxii.testing.TestNode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The endpoint tests on the SQLite store, the node's embedded default. */
class SqliteTaxiiEndpointsTest
        extends TaxiiEndpointsTest
{
    @TempDir
    Path directory;

    private int stores;

    @Override
    protected TestNode startNode(Map<String, String> properties)
    {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Path file = directory.resolve("store-" + stores++ + ".db");
        return new TestNode(ObjectStores.sqlite(file, clock), clock, TaxiiServerConfig.fromProperties(properties).withPort(0), List.of());
    }
}
