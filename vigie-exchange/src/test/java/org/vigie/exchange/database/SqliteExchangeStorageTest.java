package org.vigie.exchange.database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.vigie.exchange.testing.TestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The exchange storage contract on the embedded node's SQLite file, and files written before the migrations. */
class SqliteExchangeStorageTest
        extends ExchangeStorageContractTest
{
    @TempDir
    Path directory;

    @Override
    protected TestDatabase newDatabase()
    {
        return TestDatabase.sqlite(directory.resolve("exchange.db"));
    }

    @Override
    protected String trueLiteral()
    {
        return "1";
    }

    @Test
    void aFileWrittenBeforeTheMigrationsKeepsItsRowsAndGainsTheNewTables()
            throws SQLException
    {
        Path file = directory.resolve("old-exchange.db");
        SQLiteDataSource old = new SQLiteDataSource();
        old.setUrl("jdbc:sqlite:" + file);
        try (Connection connection = old.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE vigie_exchange_partner (id TEXT PRIMARY KEY, identity_id TEXT NOT NULL UNIQUE, document TEXT NOT NULL)");
            statement.execute("INSERT INTO vigie_exchange_partner VALUES ('b', 'identity--b', '{}')");
        }

        try (ExchangeDatabase database = ExchangeDatabase.sqlite(file);
                Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(database.vendor()).isEqualTo(ExchangeDatabase.Vendor.SQLITE);
            try (var rows = statement.executeQuery("SELECT COUNT(*) FROM vigie_exchange_partner")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            try (var rows = statement.executeQuery("SELECT COUNT(*) FROM vigie_exchange_delivery_lease")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }
}
