package org.vigie.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.generate.StixGenerator;
import org.vigie.node.server.NodeStores;
import org.vigie.stix.StixObject;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL during a 100,000-object import in a child JVM: the store opens afterwards, every acknowledged
 * object is there, and running the import again completes it without adding a duplicate.
 */
class CrashTest
{
    private static final int OBJECTS = 100_000;
    private static final long KILL_AFTER = 10_000;

    @Test
    void killDuringImportLosesNothingAcknowledged(@TempDir Path directory)
            throws Exception
    {
        Path bundle = directory.resolve("generated.json");
        List<String> versions = new ArrayList<>(OBJECTS);
        StixGenerator generator = StixGenerator.create(20_240_101);
        try (BufferedWriter writer = Files.newBufferedWriter(bundle, StandardCharsets.UTF_8)) {
            writer.write("{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[\n");
            for (int i = 0; i < OBJECTS; i++) {
                String json = generator.next();
                versions.add(versionKey(StixObject.fromJson(json)));
                writer.write(i == 0 ? json : ",\n" + json);
            }
            writer.write("]}\n");
        }
        assertThat(new HashSet<>(versions)).hasSize(OBJECTS);

        Path dataDirectory = directory.resolve("data");
        String collectionId = CliRunner.run("collection", "add", "--data-dir", dataDirectory.toString(), "--title", "Crash").out().strip();

        long acknowledged;
        try (ChildProcess importer = ChildProcess.start(directory.resolve("import.err"),
                "import", "--data-dir", dataDirectory.toString(), "--collection", collectionId, "--progress-lines", "--batch-size", "1000", bundle.toString())) {
            String line = importer.awaitLine(text -> text.startsWith(ImportCommand.COMMITTED_PREFIX) && committed(text) >= KILL_AFTER, Duration.ofMinutes(3));
            importer.kill();
            acknowledged = committed(line);
        }
        assertThat(acknowledged).as("killed mid-import").isBetween(KILL_AFTER, (long) OBJECTS - 1);

        NodeConfig config = NodeConfig.load(dataDirectory, Map.of());
        try (ObjectStore store = NodeStores.open(config, InstantSource.system())) {
            Set<String> stored = storedVersions(store, collectionId);
            assertThat(stored.size()).isGreaterThanOrEqualTo((int) acknowledged).isLessThanOrEqualTo(OBJECTS);
            // Batches commit in input order: the acknowledged prefix of the file is durable.
            assertThat(stored).containsAll(versions.subList(0, (int) acknowledged));
            assertThat(versions).containsAll(stored);
        }

        CliRunner.Result rerun = CliRunner.run("import", "--data-dir", dataDirectory.toString(), "--collection", collectionId, bundle.toString());
        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.out()).containsPattern("imported " + OBJECTS + " objects from 1 file: \\d+ stored, \\d+ duplicates, 0 rejected");
        try (ObjectStore store = NodeStores.open(config, InstantSource.system())) {
            assertThat(store.countObjects(collectionId)).isEqualTo(OBJECTS);
            assertThat(storedVersions(store, collectionId)).isEqualTo(new HashSet<>(versions));
        }
    }

    private static long committed(String line)
    {
        return Long.parseLong(line.substring(ImportCommand.COMMITTED_PREFIX.length(), line.indexOf(' ', ImportCommand.COMMITTED_PREFIX.length())));
    }

    private static String versionKey(StixObject object)
    {
        return object.id() + "@" + object.version().map(Object::toString).orElse("unversioned");
    }

    private static Set<String> storedVersions(ObjectStore store, String collectionId)
    {
        Set<String> stored = new HashSet<>();
        ObjectQuery query = ObjectQuery.all(5_000).withVersions(VersionFilter.ALL);
        while (true) {
            ObjectPage page = store.findObjects(collectionId, query);
            for (StoredObject object : page.objects()) {
                stored.add(versionKey(object.object()));
            }
            if (!page.more()) {
                return stored;
            }
            query = query.withNext(page.next().orElseThrow());
        }
    }
}
