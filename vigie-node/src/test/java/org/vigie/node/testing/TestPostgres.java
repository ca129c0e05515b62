package org.vigie.node.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** A real PostgreSQL server from embedded binaries, one per test JVM (stopped when it exits), with a new database per call. */
public final class TestPostgres
{
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {}

    /** The JDBC url (user {@code postgres}, no password) of a new, empty database. */
    public static synchronized String newDatabase(String prefix)
    {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                }
                catch (IOException e) {
                    // The JVM is stopping; the server's directory is temporary.
                }
            }));
        }
        String database = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database, e);
        }
        return server.getJdbcUrl("postgres", database);
    }
}
