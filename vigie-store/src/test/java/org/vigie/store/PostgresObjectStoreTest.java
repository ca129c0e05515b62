package org.vigie.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.vigie.stix.StixObject;

import javax.sql.DataSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract on a real PostgreSQL server (one per class); each store gets its own database. */
public class PostgresObjectStoreTest
        extends ObjectStoreContractTest
{
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private String lastDatabase;

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
        String database = "store_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database, e);
        }
        lastDatabase = database;
        return ObjectStores.open(new StoreConfig(postgres.getJdbcUrl("postgres", database), Optional.of("postgres"), Optional.empty(), 2), clock);
    }

    @Test
    public void idsSharingAHashStayApart()
            throws SQLException
    {
        try (Connection connection = postgres.getDatabase("postgres", lastDatabase).getConnection()) {
            IdHashCollisionCheck.run(store, connection, COLLECTION);
        }
    }

    @Test
    public void version7HashesTheIdsOfAnExistingStoreAsTheStoreDoes()
            throws SQLException
    {
        String database = "store_v6_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        DataSource dataSource = postgres.getDatabase("postgres", database);
        // A store as a release with migrations 1 to 6 left it.
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/postgresql").target("6").load().migrate();
        List<StixObject> rows = new ArrayList<>();
        for (int index = 0; index < 200; index++) {
            rows.add(TestObjects.version("indicator--" + UUID.nameUUIDFromBytes(new byte[] {(byte) index, (byte) (index >> 8)}), T1, T1, "2.1", "object " + index));
        }
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO objects (collection_key, object_id, version, type, spec_version, created, modified, date_added, json, latest)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)""")) {
            statement.executeUpdate("INSERT INTO collections (id, title, media_types, last_date_added) VALUES ('" + COLLECTION + "', 'old', '[]', 1704067200000199)");
            long key;
            try (ResultSet collection = statement.executeQuery("SELECT collection_key FROM collections")) {
                assertThat(collection.next()).isTrue();
                key = collection.getLong(1);
            }
            for (int index = 0; index < rows.size(); index++) {
                StixObject object = rows.get(index);
                insert.setLong(1, key);
                insert.setString(2, object.id());
                insert.setString(3, StoreText.instantKey(object.modified().orElseThrow()));
                insert.setString(4, object.type());
                insert.setString(5, object.specVersion());
                insert.setString(6, StoreText.instantKey(object.created().orElseThrow()));
                insert.setString(7, StoreText.instantKey(object.modified().orElseThrow()));
                insert.setLong(8, 1704067200000000L + index);
                insert.setString(9, object.json());
                insert.executeUpdate();
            }
        }
        try (ObjectStore migrated = ObjectStores.open(new StoreConfig(postgres.getJdbcUrl("postgres", database), Optional.of("postgres"), Optional.empty(), 2), clock)) {
            // The hashes SQL computed find the rows by the hashes the store computes.
            for (StixObject object : rows) {
                assertThat(migrated.findObjects(COLLECTION, ObjectQuery.all(10).withIds(List.of(object.id()))).objects()).extracting(StoredObject::object).containsExactly(object);
            }
            assertThat(migrated.addObjects(COLLECTION, List.of(rows.get(5)))).extracting(AddOutcome::result).containsExactly(AddOutcome.Result.DUPLICATE);
        }
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet hashes = statement.executeQuery("SELECT object_id, id_hash FROM objects")) {
            int count = 0;
            while (hashes.next()) {
                assertThat(hashes.getLong(2)).as(hashes.getString(1)).isEqualTo(ObjectIdHash.of(hashes.getString(1)));
                count++;
            }
            assertThat(count).isEqualTo(rows.size());
        }
    }

    @Test
    public void bulkImportRefreshesPlannerStatistics()
            throws SQLException
    {
        List<AddOutcome> outcomes = store.addObjects(COLLECTION, objects("indicator", 10_000));
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.result()).isEqualTo(AddOutcome.Result.STORED));
        try (Connection connection = postgres.getDatabase("postgres", lastDatabase).getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT reltuples FROM pg_class WHERE relname = 'objects'")) {
            assertThat(result.next()).isTrue();
            // Only ANALYZE (or VACUUM) sets the row estimate; without it the planner sorts whole date ranges.
            assertThat(result.getDouble(1)).isGreaterThanOrEqualTo(10_000);
        }
        ObjectPage page = store.findObjects(COLLECTION, ObjectQuery.all(100).withAddedAfter(outcomes.get(4_999).dateAdded()));
        assertThat(page.objects()).extracting(StoredObject::dateAdded)
                .containsExactlyElementsOf(outcomes.subList(5_000, 5_100).stream().map(AddOutcome::dateAdded).toList());
    }

    @Test
    public void documentsAreQueryableAsJsonb()
            throws SQLException
    {
        store.addObjects(COLLECTION, objects("indicator", 3));
        try (Connection connection = postgres.getDatabase("postgres", lastDatabase).getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT document ->> 'name' FROM objects ORDER BY date_added")) {
            List<String> names = new ArrayList<>();
            while (result.next()) {
                names.add(result.getString(1));
            }
            assertThat(names).containsExactly("object 0", "object 1", "object 2");
        }
    }

    @Test
    public void documentIsJsonbComputedOnReadAndLeftOutOfStatistics()
            throws SQLException
    {
        // V5 and V6: an import does not parse the text into a second stored copy, and ANALYZE samples neither column
        // (it skips virtual columns; statistics null is the default target).
        try (Connection connection = postgres.getDatabase("postgres", lastDatabase).getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("""
                        SELECT attname, format_type(atttypid, atttypmod), attgenerated, attstattarget FROM pg_attribute
                        WHERE attrelid = 'objects'::regclass AND attname IN ('json', 'document') ORDER BY attname""")) {
            List<String> columns = new ArrayList<>();
            while (result.next()) {
                columns.add(result.getString(1) + " " + result.getString(2) + " generated '" + result.getString(3) + "' statistics " + result.getString(4));
            }
            assertThat(columns).containsExactly("document jsonb generated 'v' statistics null", "json text generated '' statistics 0");
        }
    }
}
