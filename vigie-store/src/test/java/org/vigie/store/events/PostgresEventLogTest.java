package org.vigie.store.events;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The contract on a real PostgreSQL server (one per class); each store gets its own database. */
public class PostgresEventLogTest
        extends EventLogContractTest
{
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @BeforeAll
    public static void startPostgres()
            throws IOException
    {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    public static void stopPostgres()
            throws IOException
    {
        postgres.close();
    }

    @Override
    protected ObjectStore createStore(InstantSource clock)
    {
        String database = "events_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database, e);
        }
        // Pool of 4: the concurrent-writers test runs four writers at once against the server.
        return ObjectStores.open(new StoreConfig(postgres.getJdbcUrl("postgres", database), Optional.of("postgres"), Optional.empty(), 4), clock);
    }
}
