package org.vigie.console;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The search index contract on a real PostgreSQL server: the index in schema vigie_search of the store's database. */
class PostgresqlSearchIndexTest
        extends SearchIndexContractTest
{
    private static EmbeddedPostgres postgres;
    // One database per test directory, so that a reopened store finds the same data.
    private final Map<Path, StoreConfig> databases = new HashMap<>();

    @BeforeAll
    static void startServer()
            throws IOException
    {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopServer()
            throws IOException
    {
        postgres.close();
    }

    @Override
    ObjectStore openStore(Path directory)
    {
        return ObjectStores.open(database(directory), new TickingClock(Instant.parse("2026-03-01T10:00:00Z")));
    }

    @Override
    SearchDatabase openSearchDatabase(Path directory)
    {
        return SearchDatabase.postgresql(database(directory));
    }

    private StoreConfig database(Path directory)
    {
        return databases.computeIfAbsent(directory, key -> {
            String name = "search_" + databases.size() + "_" + Math.abs(key.hashCode());
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            }
            catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + name, e);
            }
            return new StoreConfig(postgres.getJdbcUrl("postgres", name), Optional.of("postgres"), Optional.empty(), 4);
        });
    }
}
