package org.vigie.exchange.database;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.exchange.audit.AuditLedger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Wakes a node's delivery whenever any process on the same PostgreSQL database commits outbox entries, and its
 * ledger's readers whenever one commits ledger entries: one connection per node {@code LISTEN}s on
 * {@value ExchangeDatabase#OUTBOX_CHANNEL} (notified in the queuing transaction by
 * {@link ExchangeDatabase#announceQueued}, so delivered only at its commit) and on {@value AuditLedger#APPEND_CHANNEL}
 * (notified in the appending transaction by the JDBC ledger), and calls {@code onQueued} or {@code onAppended} for
 * each notification. A dropped connection is logged and opened again, with a growing pause
 * up to {@value #MAXIMUM_PAUSE_SECONDS} s; both also run each time listening (re)starts, since
 * entries committed while nobody listened announced themselves to no one. On SQLite there is nothing to listen
 * to: one process delivers, woken in-process.
 */
public final class OutboxListener
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(OutboxListener.class);
    // How long one wait for notifications lasts: bounds how long close() waits for the thread.
    private static final int WAIT_MILLISECONDS = 250;
    // A connection silently cut (no reset from the network) answers no wait with an error: a query every so often finds out.
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);
    private static final long MAXIMUM_PAUSE_SECONDS = 5;

    private final ExchangeDatabase database;
    private final Runnable onQueued;
    private final Runnable onAppended;
    private final Thread thread;
    private final Object monitor = new Object();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong notifications = new AtomicLong();
    private volatile boolean closed;

    private OutboxListener(ExchangeDatabase database, Runnable onQueued, Runnable onAppended)
    {
        this.database = requireNonNull(database, "database is null");
        this.onQueued = requireNonNull(onQueued, "onQueued is null");
        this.onAppended = requireNonNull(onAppended, "onAppended is null");
        this.thread = new Thread(this::listen, "vigie-exchange-outbox-listener");
        thread.setDaemon(true);
    }

    /** Starts listening for queued outbox entries on a PostgreSQL exchange database; empty on SQLite. */
    public static Optional<OutboxListener> start(ExchangeDatabase database, Runnable onQueued)
    {
        return start(database, onQueued, () -> { });
    }

    /**
     * Starts listening on a PostgreSQL exchange database for queued outbox entries ({@code onQueued}) and ledger
     * appends ({@code onAppended}), on one connection; empty on SQLite.
     */
    public static Optional<OutboxListener> start(ExchangeDatabase database, Runnable onQueued, Runnable onAppended)
    {
        requireNonNull(database, "database is null");
        return switch (database.vendor()) {
            case SQLITE -> Optional.empty();
            case POSTGRESQL -> {
                OutboxListener listener = new OutboxListener(database, onQueued, onAppended);
                listener.thread.start();
                yield Optional.of(listener);
            }
        };
    }

    /** How many times listening has started (1 once running, more after reconnections). */
    public long sessions()
    {
        return sessions.get();
    }

    /** Notifications received so far. */
    public long notifications()
    {
        return notifications.get();
    }

    private void listen()
    {
        long pauseSeconds = 1;
        while (!closed) {
            try (Connection connection = database.rawConnection()) {
                try {
                    listenOn(connection);
                }
                finally {
                    unlisten(connection);
                }
                pauseSeconds = 1;
            }
            catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("exchange: listening for queued outbox entries on {} failed, listening again in {} s (until then delivery runs on its interval): {}",
                        ExchangeDatabase.OUTBOX_CHANNEL, pauseSeconds, e.getMessage());
                pause(pauseSeconds);
                pauseSeconds = Math.min(MAXIMUM_PAUSE_SECONDS, pauseSeconds * 2);
            }
        }
    }

    private void listenOn(Connection connection)
            throws SQLException
    {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + ExchangeDatabase.OUTBOX_CHANNEL);
            statement.execute("LISTEN " + AuditLedger.APPEND_CHANNEL);
        }
        PGConnection postgresql = connection.unwrap(PGConnection.class);
        sessions.incrementAndGet();
        wake(onQueued, "waking delivery after queued outbox entries");
        wake(onAppended, "announcing ledger entries");
        long lastProbe = System.nanoTime();
        while (!closed) {
            PGNotification[] received = postgresql.getNotifications(WAIT_MILLISECONDS);
            if (received != null && received.length > 0) {
                notifications.addAndGet(received.length);
                boolean queued = false;
                boolean appended = false;
                for (PGNotification notification : received) {
                    queued |= notification.getName().equals(ExchangeDatabase.OUTBOX_CHANNEL);
                    appended |= notification.getName().equals(AuditLedger.APPEND_CHANNEL);
                }
                if (queued) {
                    wake(onQueued, "waking delivery after queued outbox entries");
                }
                if (appended) {
                    wake(onAppended, "announcing ledger entries");
                }
            }
            if (System.nanoTime() - lastProbe >= PROBE_INTERVAL.toNanos()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                lastProbe = System.nanoTime();
            }
        }
    }

    private static void wake(Runnable action, String what)
    {
        try {
            action.run();
        }
        catch (RuntimeException e) {
            // The listener goes on: the next notification, or the reader's own interval, tries again.
            LOG.error("exchange: {} failed: {}", what, e.getMessage(), e);
        }
    }

    // The connection goes back to the pool: it must not keep receiving notifications for its next user.
    private static void unlisten(Connection connection)
    {
        try {
            if (!connection.isClosed()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("UNLISTEN *");
                }
            }
        }
        catch (SQLException e) {
            // A broken connection listens to nothing any more; the pool discards it.
        }
    }

    private void pause(long seconds)
    {
        synchronized (monitor) {
            if (closed) {
                return;
            }
            try {
                monitor.wait(Duration.ofSeconds(seconds).toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** Stops listening and waits for the thread (at most about one wait for notifications). */
    @Override
    public void close()
    {
        synchronized (monitor) {
            closed = true;
            monitor.notifyAll();
        }
        try {
            thread.join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
