package org.vigie.exchange.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.sqlite.SQLiteDataSource;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.store.StoreConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * One exchange database for a test, on a real SQLite file or a real PostgreSQL server (embedded binaries,
 * one server per test JVM, a new database per test). {@link #open()} opens it again, as a restarted node or
 * a second replica would; {@link #execute} and {@link #text} reach the rows directly, as an intruder would.
 */
public final class TestDatabase
        implements AutoCloseable
{
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private final String description;
    private final Supplier<ExchangeDatabase> opener;
    private final Optional<StoreConfig> storeConfig;
    private final List<ExchangeDatabase> opened = new ArrayList<>();
    private ExchangeDatabase direct;

    private TestDatabase(String description, Supplier<ExchangeDatabase> opener, Optional<StoreConfig> storeConfig)
    {
        this.description = requireNonNull(description, "description is null");
        this.opener = requireNonNull(opener, "opener is null");
        this.storeConfig = requireNonNull(storeConfig, "storeConfig is null");
    }

    /** An SQLite file, configured as the node configures {@code exchange.db}. */
    public static TestDatabase sqlite(Path file)
    {
        return new TestDatabase("SQLite " + file, () -> ExchangeDatabase.sqlite(file), Optional.empty());
    }

    /** A new, empty database on the shared embedded PostgreSQL server. */
    public static TestDatabase postgresql()
    {
        StoreConfig config = newPostgresDatabase("exchange");
        return new TestDatabase("PostgreSQL " + config.url(), () -> ExchangeDatabase.postgresql(config), Optional.of(config));
    }

    /** A store configuration naming a new, empty database on the shared embedded PostgreSQL server. */
    public static synchronized StoreConfig newPostgresDatabase(String prefix)
    {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
            }
            EmbeddedPostgres server = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                }
                catch (IOException e) {
                    // The JVM is stopping; the server's directory is temporary.
                }
            }));
        }
        String database = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database, e);
        }
        return new StoreConfig(postgres.getJdbcUrl("postgres", database), Optional.of("postgres"), Optional.empty(), 2);
    }

    /** The store configuration of a PostgreSQL test database (empty for SQLite). */
    public Optional<StoreConfig> storeConfig()
    {
        return storeConfig;
    }

    /** Opens the database (again); closed with this. */
    public synchronized ExchangeDatabase open()
    {
        ExchangeDatabase database = opener.get();
        opened.add(database);
        return database;
    }

    /** Runs one statement outside the exchange's code, committed at once. */
    public void execute(String sql, Object... parameters)
    {
        ExchangeDatabase database = direct();
        try (Connection connection = database.dataSource().getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        }
        catch (SQLException e) {
            throw new IllegalStateException(description + ": " + sql, e);
        }
    }

    /** The first column of the first row of a query. */
    public String text(String sql, Object... parameters)
    {
        ExchangeDatabase database = direct();
        try (Connection connection = database.dataSource().getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException(description + ": no row for " + sql);
                }
                return rows.getString(1);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException(description + ": " + sql, e);
        }
    }

    private synchronized ExchangeDatabase direct()
    {
        if (direct == null) {
            direct = open();
        }
        return direct;
    }

    private static void bind(PreparedStatement statement, Object... parameters)
            throws SQLException
    {
        for (int index = 0; index < parameters.length; index++) {
            statement.setObject(index + 1, parameters[index]);
        }
    }

    @Override
    public synchronized void close()
    {
        opened.forEach(ExchangeDatabase::close);
        opened.clear();
        direct = null;
    }

    @Override
    public String toString()
    {
        return description;
    }
}
