package org.vigie.exchange.database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecords;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.testing.TestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The listener that wakes a replica's delivery, on a real PostgreSQL server with two "replicas" (two pools on one
 * database): an announcement wakes the other replica once its transaction commits, never for a rolled back one,
 * and a listener whose connection the server cuts listens again (and wakes once, for what it may have missed).
 */
class OutboxListenerTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void anAnnouncementCommittedByAnotherReplicaWakesTheListenerAndARollbackDoesNot()
            throws Exception
    {
        try (TestDatabase test = TestDatabase.postgresql(); Listening listening = listen(test)) {
            ExchangeDatabase queuing = test.open();
            assertThatThrownBy(() -> queuing.inTransaction("queue and fail", connection -> {
                queuing.announceQueued(connection);
                throw new IllegalStateException("rolled back on purpose");
            })).hasMessage("rolled back on purpose");
            queuing.inTransaction("queue twice", connection -> {
                queuing.announceQueued(connection);
                queuing.announceQueued(connection);
                return null;
            });
            assertThat(listening.wakeUps().tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("woken by the committed transaction").isTrue();
            // Notifications arrive in commit order: had the rolled back one been sent, it would have come first.
            assertThat(listening.listener().notifications()).as("one notification per committed transaction, none for the rolled back one").isEqualTo(1);
        }
    }

    @Test
    void aLedgerAppendCommittedByAnotherReplicaAnnouncesItselfOnTheSameConnection()
            throws Exception
    {
        try (TestDatabase test = TestDatabase.postgresql()) {
            Semaphore queued = new Semaphore(0);
            Semaphore appended = new Semaphore(0);
            try (OutboxListener listener = OutboxListener.start(test.open(), queued::release, appended::release).orElseThrow()) {
                // Both are told once as listening starts, for what was committed while nobody listened.
                assertThat(queued.tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(appended.tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                ExchangeDatabase appending = test.open();
                AuditLedger ledger = AuditLedger.create(LedgerStorage.jdbc(appending.dataSource()), java.time.Instant::now, appending::afterCommit);
                assertThatThrownBy(() -> appending.inTransaction("append and fail", connection -> {
                    ledger.append(AuditRecords.partnerChange("admin", "identity--0d0e2b6a-7f3c-4b8e-9a51-6c2d3e4f5a60", "added"));
                    throw new IllegalStateException("rolled back on purpose");
                })).hasMessage("rolled back on purpose");
                appending.inTransaction("append twice", connection -> {
                    ledger.append(AuditRecords.partnerChange("admin", "identity--0d0e2b6a-7f3c-4b8e-9a51-6c2d3e4f5a60", "added"));
                    ledger.append(AuditRecords.partnerChange("admin", "identity--0d0e2b6a-7f3c-4b8e-9a51-6c2d3e4f5a60", "changed"));
                    return null;
                });
                assertThat(appended.tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the other replica's committed append announced").isTrue();
                // Commit order: a notification of the rolled back append would have come first, and two appends of one transaction fold into one.
                assertThat(listener.notifications()).isEqualTo(1);
                assertThat(queued.availablePermits()).as("a ledger append is not a queued outbox entry").isZero();
                assertThat(ledger.read(1, 10)).hasSize(2);
            }
        }
    }

    @Test
    void aListenerWhoseConnectionIsCutListensAgain()
            throws Exception
    {
        try (TestDatabase test = TestDatabase.postgresql(); Listening listening = listen(test)) {
            ExchangeDatabase queuing = test.open();
            // The server ends every other session of the database, the listener's among them.
            try (Connection connection = queuing.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            }
            assertThat(listening.wakeUps().tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("woken as listening starts again").isTrue();
            assertThat(listening.listener().sessions()).isEqualTo(2);
            // A new pool: the server ended this one's sessions too.
            announce(test.open());
            assertThat(listening.wakeUps().tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("woken by a commit after the reconnection").isTrue();
            assertThat(listening.listener().notifications()).isEqualTo(1);
        }
    }

    @Test
    void thereIsNothingToListenToOnSqlite()
    {
        try (TestDatabase test = TestDatabase.sqlite(directory.resolve("exchange.db"))) {
            ExchangeDatabase database = test.open();
            assertThat(OutboxListener.start(database, () -> {})).isEmpty();
            // Announcing is then a no-op inside the transaction, which still commits.
            String outcome = database.inTransaction("queue", connection -> {
                database.announceQueued(connection);
                return "committed";
            });
            assertThat(outcome).isEqualTo("committed");
        }
    }

    /** A listener on one "replica" of the test database, counting its wake-ups. */
    private record Listening(OutboxListener listener, Semaphore wakeUps)
            implements AutoCloseable
    {
        @Override
        public void close()
        {
            listener.close();
        }
    }

    private static Listening listen(TestDatabase test)
            throws InterruptedException
    {
        Semaphore wakeUps = new Semaphore(0);
        OutboxListener listener = OutboxListener.start(test.open(), wakeUps::release).orElseThrow();
        // The first wake-up comes as listening starts, for entries queued while nobody listened.
        assertThat(wakeUps.tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(listener.sessions()).isEqualTo(1);
        return new Listening(listener, wakeUps);
    }

    private static void announce(ExchangeDatabase database)
    {
        database.inTransaction("queue", connection -> {
            database.announceQueued(connection);
            return null;
        });
    }
}
