package org.vigie.exchange.partner;

import org.vigie.exchange.testing.TestDatabase;

/** The registry contract and the SQL registry's own tests with the tables in a real PostgreSQL server. */
class PostgresPartnerRegistryTest
        extends JdbcPartnerRegistryTest
{
    @Override
    TestDatabase newDatabase()
    {
        return TestDatabase.postgresql();
    }
}
