package org.vigie.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Copies an SQLite store's write-ahead log back into the database file on a thread of its own, so that the
 * writer's commits never do it. SQLite's automatic checkpoint runs inside the commit that crosses its threshold:
 * during an import that was half of the writer thread's time, while the second core waited for work. The writer
 * connection therefore runs with {@code wal_autocheckpoint=0}, and this thread checkpoints after commits.
 *
 * <p>Checkpoints are {@code PASSIVE}: they copy what no reader still needs, never wait for the writer and never
 * make it wait. Once the log holds more than {@code restartFrames} frames, a {@code RESTART} checkpoint makes the
 * next writer start the log from its beginning again (waiting, at most the busy timeout, for the readers of the
 * old frames); the journal size limit then truncates the file. Checkpointing in WAL mode is crash-safe whichever
 * connection runs it, so this changes where the work is done, not what survives a crash.
 */
final class SqliteCheckpointer
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);
    private static final AtomicLong THREADS = new AtomicLong();

    private final DataSource dataSource;
    private final String location;
    private final long restartFrames;
    private final Duration coalesce;
    private final Object monitor = new Object();
    private final Thread thread;
    private final AtomicLong checkpoints = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private long commits;
    private long commitsCheckpointed;
    private boolean closed;

    /**
     * @param dataSource connections to the same database file, used for one connection held by the thread
     * @param restartFrames log frames beyond which the log is restarted rather than left to grow
     * @param coalesce how long after a commit the checkpoint waits for further commits, so that a page written
     *         by several commits in a row is copied once
     */
    SqliteCheckpointer(DataSource dataSource, String location, long restartFrames, Duration coalesce)
    {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.location = requireNonNull(location, "location is null");
        if (restartFrames < 1) {
            throw new IllegalArgumentException("restartFrames must be positive, was " + restartFrames);
        }
        this.restartFrames = restartFrames;
        this.coalesce = requireNonNull(coalesce, "coalesce is null");
        this.thread = new Thread(this::run, "vigie-store-checkpoint-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** A write transaction committed: its frames are to be copied. */
    void committed()
    {
        synchronized (monitor) {
            commits++;
            monitor.notifyAll();
        }
    }

    /** Checkpoints run so far (for tests and metrics). */
    long checkpoints()
    {
        return checkpoints.get();
    }

    /** Checkpoints that restarted the log because it had grown past the limit (for tests). */
    long restarts()
    {
        return restarts.get();
    }

    private void run()
    {
        Connection connection = null;
        try {
            while (true) {
                long target;
                synchronized (monitor) {
                    while (!closed && commits == commitsCheckpointed) {
                        monitor.wait();
                    }
                    if (closed) {
                        return;
                    }
                    // Let the commits of the next moment join this checkpoint.
                    long deadline = System.nanoTime() + coalesce.toNanos();
                    long remaining;
                    while (!closed && (remaining = deadline - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                    }
                    if (closed) {
                        return;
                    }
                    target = commits;
                }
                try {
                    if (connection == null) {
                        connection = dataSource.getConnection();
                    }
                    checkpoint(connection);
                }
                catch (SQLException e) {
                    // The next commit retries; until then the log only grows, which readers and writers tolerate.
                    LOG.warn("store {}: background checkpoint failed, retrying after the next commit: {}", location, e.getMessage());
                    connection = closeQuietly(connection);
                }
                synchronized (monitor) {
                    commitsCheckpointed = target;
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException | Error e) {
            LOG.error("store {}: the background checkpoint thread stopped; the write-ahead log is checkpointed when the store closes", location, e);
        }
        finally {
            closeQuietly(connection);
        }
    }

    private void checkpoint(Connection connection)
            throws SQLException
    {
        long logFrames = walCheckpoint(connection, "PASSIVE");
        if (logFrames > restartFrames) {
            walCheckpoint(connection, "RESTART");
            restarts.incrementAndGet();
        }
        checkpoints.incrementAndGet();
    }

    /** Runs one checkpoint of the given mode; returns the frames the log held. */
    private static long walCheckpoint(Connection connection, String mode)
            throws SQLException
    {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            // Columns: busy flag, frames in the log, frames checkpointed.
            return result.next() ? result.getLong(2) : 0;
        }
    }

    private Connection closeQuietly(Connection connection)
    {
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException e) {
                LOG.warn("store {}: closing the checkpoint connection failed: {}", location, e.getMessage());
            }
        }
        return null;
    }

    /** Stops the thread after its current checkpoint; the store's last connection to close checkpoints the rest. */
    @Override
    public void close()
    {
        synchronized (monitor) {
            closed = true;
            monitor.notifyAll();
        }
        try {
            if (!thread.isAlive()) {
                return;
            }
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                LOG.warn("store {}: the checkpoint thread did not stop within 30 seconds", location);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
