package org.vigie.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a writing child JVM with SIGKILL at several points and checks that every batch it acknowledged is
 * stored, that the database is intact, and that re-adding everything adds nothing.
 */
public class SqliteCrashSafetyTest
{
    private static final int BATCH_SIZE = 300;

    @TempDir
    Path directory;

    @Test
    public void acknowledgedBatchesSurviveKill()
            throws Exception
    {
        Path file = directory.resolve("crash.db");
        List<Integer> acknowledged = new ArrayList<>();
        int nextBatch = 0;
        // Kill after different numbers of acknowledgements; the child is then in the middle of a later batch.
        for (int killAfter : List.of(1, 4, 9, 2)) {
            int lastAcknowledged = runAndKill(file, nextBatch, killAfter);
            for (int batch = nextBatch; batch <= lastAcknowledged; batch++) {
                acknowledged.add(batch);
            }
            nextBatch = lastAcknowledged + 1;

            assertThat(integrityCheck(file)).isEqualTo("ok");
            try (ObjectStore store = ObjectStores.sqlite(file, () -> Instant.parse("2030-01-01T00:00:00Z"))) {
                Set<String> stored = storedIds(store);
                for (int batch : acknowledged) {
                    for (var object : CrashWriter.batch(batch, BATCH_SIZE)) {
                        assertThat(stored).as("batch %s", batch).contains(object.id());
                    }
                }
                long count = store.countObjects(CrashWriter.COLLECTION);
                assertThat(count).isEqualTo(stored.size());
                // A batch being written at the kill is either wholly there or wholly absent.
                assertThat(count % BATCH_SIZE).isZero();
                for (int batch : acknowledged) {
                    assertThat(store.addObjects(CrashWriter.COLLECTION, CrashWriter.batch(batch, BATCH_SIZE)))
                            .allSatisfy(outcome -> assertThat(outcome.result()).isEqualTo(AddOutcome.Result.DUPLICATE));
                }
                assertThat(store.countObjects(CrashWriter.COLLECTION)).isEqualTo(count);
                nextBatch = (int) Math.max(nextBatch, count / BATCH_SIZE);
            }
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    public void processesWritingOneFileGetDistinctIncreasingDates()
            throws Exception
    {
        // The node and a CLI import: two processes, each with its own writer connection, on one file.
        Path file = directory.resolve("shared.db");
        int batches = 15;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                file.toString(), "0", Integer.toString(BATCH_SIZE), Integer.toString(batches))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int childAcknowledgements = 0;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            // Start writing once the child has created the collection, so both write at the same time.
            assertThat(output.readLine()).isEqualTo("READY");
            try (ObjectStore store = ObjectStores.sqlite(file, InstantSource.system())) {
                for (int batch = batches; batch < 2 * batches; batch++) {
                    assertThat(store.addObjects(CrashWriter.COLLECTION, CrashWriter.batch(batch, BATCH_SIZE)))
                            .allSatisfy(outcome -> assertThat(outcome.result()).isEqualTo(AddOutcome.Result.STORED));
                }
            }
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    childAcknowledgements++;
                }
            }
        }
        finally {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isZero();
        assertThat(childAcknowledgements).isEqualTo(batches);
        try (ObjectStore store = ObjectStores.sqlite(file, InstantSource.system())) {
            List<Instant> dates = new ArrayList<>();
            ObjectQuery query = ObjectQuery.all(1_000).withVersions(VersionFilter.ALL);
            while (true) {
                ObjectPage page = store.findObjects(CrashWriter.COLLECTION, query);
                page.objects().forEach(stored -> dates.add(stored.dateAdded()));
                if (page.next().isEmpty()) {
                    break;
                }
                query = query.withNext(page.next().get());
            }
            assertThat(dates).hasSize(2 * batches * BATCH_SIZE).isSorted().doesNotHaveDuplicates();
            assertThat(integrityCheck(file)).isEqualTo("ok");
        }
    }

    private static int runAndKill(Path file, int firstBatch, int killAfter)
            throws IOException, InterruptedException
    {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                file.toString(), Integer.toString(firstBatch), Integer.toString(BATCH_SIZE))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int lastAcknowledged = firstBatch - 1;
        int acknowledgements = 0;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    lastAcknowledged = Integer.parseInt(line.substring(4));
                    acknowledgements++;
                    if (acknowledgements == killAfter) {
                        child.destroyForcibly();
                        break;
                    }
                }
            }
        }
        finally {
            // Batches the child acknowledged after the last line read are checked only through the count.
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledgements).as("child acknowledged %s batches before ending", acknowledgements).isEqualTo(killAfter);
        return lastAcknowledged;
    }

    private static Set<String> storedIds(ObjectStore store)
    {
        Set<String> ids = new HashSet<>();
        ObjectQuery query = ObjectQuery.all(5_000).withVersions(VersionFilter.ALL);
        while (true) {
            ObjectPage page = store.findObjects(CrashWriter.COLLECTION, query);
            page.objects().forEach(stored -> ids.add(stored.object().id()));
            Optional<String> next = page.next();
            if (next.isEmpty()) {
                return ids;
            }
            query = query.withNext(next.get());
        }
    }

    private static String integrityCheck(Path file)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
            result.next();
            return result.getString(1);
        }
    }
}
