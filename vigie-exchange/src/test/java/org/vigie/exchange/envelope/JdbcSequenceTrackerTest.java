package org.vigie.exchange.envelope;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.testing.TestDatabase;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQL sequence tracker on a real SQLite file. */
class JdbcSequenceTrackerTest
{
    private static final String A = "identity--00000000-0000-4000-8000-00000000000a";
    private static final String B = "identity--00000000-0000-4000-8000-00000000000b";

    @TempDir
    Path directory;

    @Test
    void advancesOnlyToTheNextSequencePerPairAndSurvivesAReopen()
    {
        SequenceTracker tracker = SequenceTracker.jdbc(database());
        assertThat(tracker.lastAccepted(A, B)).isZero();
        assertThat(tracker.advance(A, B, 2)).isFalse();
        assertThat(tracker.advance(A, B, 1)).isTrue();
        assertThat(tracker.advance(A, B, 1)).isFalse();
        assertThat(tracker.advance(A, B, 2)).isTrue();
        assertThat(tracker.advance(B, A, 1)).isTrue();

        SequenceTracker reopened = SequenceTracker.jdbc(database());

        assertThat(reopened.lastAccepted(A, B)).isEqualTo(2);
        assertThat(reopened.lastAccepted(B, A)).isEqualTo(1);
    }

    @Test
    void anAdvanceInsideARolledBackTransactionIsUndone()
    {
        ExchangeDatabase database = database();
        SequenceTracker tracker = SequenceTracker.jdbc(database);

        assertThatThrownBy(() -> database.inTransaction("store an envelope", connection -> {
            assertThat(tracker.advance(A, B, 1)).isTrue();
            throw new IllegalStateException("storing failed");
        })).hasMessage("storing failed");

        assertThat(tracker.lastAccepted(A, B)).isZero();
        assertThat(tracker.advance(A, B, 1)).isTrue();
    }

    private TestDatabase testDatabase;

    /** Where the sequences live; PostgreSQL in the subclass. */
    TestDatabase newDatabase()
    {
        return TestDatabase.sqlite(directory.resolve("sequences.db"));
    }

    @AfterEach
    void closeDatabase()
    {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    /** The same database each call, opened again (as after a restart). */
    private ExchangeDatabase database()
    {
        if (testDatabase == null) {
            testDatabase = newDatabase();
        }
        return testDatabase.open();
    }
}
