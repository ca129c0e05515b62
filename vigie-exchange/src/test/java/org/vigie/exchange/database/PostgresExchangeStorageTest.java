package org.vigie.exchange.database;

import org.junit.jupiter.api.Test;
import org.vigie.exchange.testing.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/** The exchange storage contract on a real PostgreSQL server, in the schema beside the store's tables. */
class PostgresExchangeStorageTest
        extends ExchangeStorageContractTest
{
    private TestDatabase lastDatabase;

    @Override
    protected TestDatabase newDatabase()
    {
        lastDatabase = TestDatabase.postgresql();
        return lastDatabase;
    }

    @Override
    protected String trueLiteral()
    {
        return "true";
    }

    @Test
    void theTablesLiveInTheirOwnSchemaAndSortLikeSqlite()
    {
        assertThat(lastDatabase.text("SELECT current_schema()")).isEqualTo(ExchangeDatabase.POSTGRESQL_SCHEMA);
        lastDatabase.execute("INSERT INTO vigie_exchange_delivery_lease (partner_id, owner, expires_at) VALUES ('b', 'x', 0), ('B', 'x', 0), ('a', 'x', 0)");
        // Binary order, as SQLite sorts: upper case before lower case.
        assertThat(lastDatabase.text("SELECT string_agg(partner_id, ',' ORDER BY partner_id) FROM vigie_exchange_delivery_lease")).isEqualTo("B,a,b");
    }
}
