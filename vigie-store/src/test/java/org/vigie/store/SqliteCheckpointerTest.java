package org.vigie.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The background checkpoint on a real SQLite file written by a connection that never checkpoints itself. */
class SqliteCheckpointerTest
{
    private static final int ROW_BYTES = 40_000;

    @TempDir
    Path directory;

    @Test
    void aLogPastTheLimitIsRestartedSoThatLaterWritesStartAtItsBeginning()
            throws Exception
    {
        SQLiteDataSource dataSource = dataSource(directory.resolve("restart.db"));
        try (Connection writer = dataSource.getConnection();
                SqliteCheckpointer checkpointer = new SqliteCheckpointer(dataSource, "test", 50, Duration.ZERO)) {
            checkpointer.start();
            execute(writer, "CREATE TABLE rows (value BLOB NOT NULL)");
            // One transaction of about 100 pages: the log holds more frames than the limit of 50.
            writer.setAutoCommit(false);
            for (int row = 0; row < 10; row++) {
                insert(writer);
            }
            writer.commit();
            checkpointer.committed();
            await("the checkpoint after the large commit", checkpointer::checkpoints, 1);
            assertThat(checkpointer.restarts()).isEqualTo(1);

            // The next transaction writes from the log's beginning: the log now holds only its frames.
            insert(writer);
            writer.commit();
            assertThat(logFrames(dataSource)).isLessThan(50);
        }
    }

    @Test
    void aLogWithinTheLimitIsCheckpointedWithoutRestarting()
            throws Exception
    {
        SQLiteDataSource dataSource = dataSource(directory.resolve("passive.db"));
        try (Connection writer = dataSource.getConnection();
                SqliteCheckpointer checkpointer = new SqliteCheckpointer(dataSource, "test", 100_000, Duration.ZERO)) {
            checkpointer.start();
            execute(writer, "CREATE TABLE rows (value BLOB NOT NULL)");
            for (int commit = 1; commit <= 3; commit++) {
                insert(writer);
                checkpointer.committed();
                await("checkpoint " + commit, checkpointer::checkpoints, commit);
            }
            assertThat(checkpointer.restarts()).isZero();
            try (Connection reader = dataSource.getConnection(); Statement statement = reader.createStatement();
                    ResultSet count = statement.executeQuery("SELECT count(*) FROM rows")) {
                assertThat(count.next()).isTrue();
                assertThat(count.getLong(1)).isEqualTo(3);
            }
        }
    }

    private static SQLiteDataSource dataSource(Path file)
    {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "0");
        config.setBusyTimeout(1_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    private static void insert(Connection connection)
            throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO rows (value) VALUES (?)")) {
            insert.setBytes(1, new byte[ROW_BYTES]);
            insert.executeUpdate();
        }
    }

    private static void execute(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Frames in the log now, read without copying any (a PASSIVE checkpoint on a log already copied copies nothing new). */
    private static long logFrames(SQLiteDataSource dataSource)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            assertThat(result.next()).isTrue();
            return result.getLong(2);
        }
    }

    private static void await(String what, LongSupplier value, long atLeast)
            throws InterruptedException
    {
        // Polling what the checkpointer reports, with a deadline; not a sleep standing in for the work.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value.getAsLong() < atLeast) {
            assertThat(System.nanoTime()).as("%s within 30 s", what).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
