package org.vigie.exchange.envelope;

import org.vigie.exchange.testing.TestDatabase;

/** The same tests with the sequences in a real PostgreSQL server. */
class PostgresSequenceTrackerTest
        extends JdbcSequenceTrackerTest
{
    @Override
    TestDatabase newDatabase()
    {
        return TestDatabase.postgresql();
    }
}
