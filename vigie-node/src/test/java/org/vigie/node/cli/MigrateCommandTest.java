package org.vigie.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.server.NodeStores;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.UserAccount;
import org.vigie.store.VersionFilter;
import org.vigie.taxii.auth.PasswordHasher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command on real SQLite files: this module's tests have no PostgreSQL server (the PostgreSQL target is
 * tested in vigie-store's PostgresStoreMigrationTest); the command path is the same for both.
 */
class MigrateCommandTest
{
    @Test
    void copiesTheDataDirectoryStoreAndRefusesASecondCopy(@TempDir Path directory)
            throws IOException
    {
        Path dataDirectory = directory.resolve("node");
        Files.createDirectories(dataDirectory);
        try (ObjectStore store = ObjectStores.sqlite(dataDirectory.resolve("vigie.db"), InstantSource.system())) {
            store.createCollection(CollectionInfo.of("intel", "Intel"));
            for (int version = 1; version <= 3; version++) {
                store.addObjects("intel", List.of(StixObject.fromJson("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--6b5b7b55-1c69-4c3c-9b63-2b7e5d8d7c11\""
                        + ",\"created\":\"2025-01-01T00:00:00.000Z\",\"modified\":\"2025-01-0" + version + "T00:00:00.000Z\",\"name\":\"v" + version + "\"}")));
            }
            store.addUser(new UserAccount("alice", "hash", List.of("intel"), List.of(), false));
        }
        Files.writeString(dataDirectory.resolve("exchange.db"), "");
        Path targetFile = directory.resolve("target.db");

        Result first = run("", "migrate", "--data-dir", dataDirectory.toString(), "--to", "jdbc:sqlite:" + targetFile);

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(Main.OK);
        assertThat(first.out()).contains("table objects", "3 rows", "collection intel", "verified")
                .contains("the exchange database stays in " + dataDirectory.resolve("exchange.db").toAbsolutePath().normalize() + ": with the store on SQLite");
        try (ObjectStore source = ObjectStores.sqlite(dataDirectory.resolve("vigie.db"), InstantSource.system());
                ObjectStore target = ObjectStores.sqlite(targetFile, InstantSource.system())) {
            ObjectQuery all = ObjectQuery.all(10).withVersions(VersionFilter.ALL);
            assertThat(target.findObjects("intel", all)).isEqualTo(source.findObjects("intel", all));
            assertThat(target.findObjects("intel", all).objects()).hasSize(3);
            assertThat(target.listUsers()).isEqualTo(source.listUsers());
        }

        Result second = run("", "migrate", "--data-dir", dataDirectory.toString(), "--to", "jdbc:sqlite:" + targetFile);
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(Main.INVALID_INPUT);
        assertThat(second.err()).contains("target store jdbc:sqlite:" + targetFile + " is not empty");
    }

    @Test
    void rejectsABadTargetAndAnEmptyPassword(@TempDir Path directory)
            throws IOException
    {
        Files.createDirectories(directory.resolve("node"));
        ObjectStores.sqlite(directory.resolve("node").resolve("vigie.db"), InstantSource.system()).close();

        Result badUrl = run("", "migrate", "--data-dir", directory.resolve("node").toString(), "--to", "mysql://db/vigie");
        assertThat(badUrl.exitCode()).as(badUrl.toString()).isEqualTo(Main.INVALID_INPUT);
        assertThat(badUrl.err()).contains("--to: ").contains("mysql://db/vigie");

        Result noPassword = run("\n", "migrate", "--data-dir", directory.resolve("node").toString(), "--to", "jdbc:postgresql://127.0.0.1:1/vigie", "--user", "vigie", "--password-stdin");
        assertThat(noPassword.exitCode()).as(noPassword.toString()).isEqualTo(Main.INVALID_INPUT);
        assertThat(noPassword.err()).contains("--password-stdin");
    }

    private record Result(int exitCode, String out, String err)
    {
    }

    private static Result run(String standardInput, String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(
                new ByteArrayInputStream(standardInput.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                InstantSource.system(),
                false,
                NodeStores::open,
                PasswordHasher.withIterations(1_000));
        // Until Main registers the command, it is added here the same way, with Main's error handling.
        picocli.CommandLine commandLine = Main.commandLine(context);
        if (!commandLine.getSubcommands().containsKey("migrate")) {
            commandLine.addSubcommand("migrate", new MigrateCommand(context));
        }
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
