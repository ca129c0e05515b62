package org.vigie.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectStore;
import org.vigie.store.UserAccount;
import org.vigie.taxii.auth.PasswordHasher;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.vigie.node.cli.CliRunner.run;
import static org.vigie.node.cli.CliRunner.runWithInput;

class CliTest
{
    @Test
    void generateThenValidate(@TempDir Path directory)
    {
        int count = 100 + new Random().nextInt(400);
        Path file = directory.resolve("generated.json");
        CliRunner.Result generate = run("generate", "--objects", Integer.toString(count), "--seed", "42", "--output", file.toString());
        assertThat(generate.exitCode()).as(generate.toString()).isZero();

        CliRunner.Result validate = run("validate", file.toString());
        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(validate.out()).isEmpty();
        assertThat(validate.err()).contains("valid: " + count + " objects");

        CliRunner.Result toStandardOutput = run("generate", "--objects", "25", "--seed", "42");
        JsonNode bundle = StixJson.parse(toStandardOutput.out());
        assertThat(bundle.get("objects").size()).isEqualTo(25);
    }

    @Test
    void validateReportsEveryViolationOnePerLine(@TempDir Path directory)
            throws IOException
    {
        Path file = directory.resolve("invalid.json");
        Files.writeString(file, """
                {"type": "bundle", "id": "bundle--not-a-uuid", "objects": [
                  {"type": "indicator", "spec_version": "2.1", "id": "indicator--0d3d1a3e-2f4b-4c8b-9a57-0b5c2f1e6d7a",
                   "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
                   "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z"},
                  {"type": "malware", "spec_version": "2.1", "id": "malware--not-a-uuid", "created": "2024-01-01T00:00:00.000Z",
                   "modified": "2023-01-01T00:00:00.000Z", "is_family": true}
                ]}
                """);
        CliRunner.Result result = run("validate", file.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.INVALID_INPUT);
        String[] lines = result.out().split("\n");
        assertThat(lines.length).isGreaterThanOrEqualTo(3);
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith(file + ": "));
        assertThat(result.out()).contains("indicator--0d3d1a3e-2f4b-4c8b-9a57-0b5c2f1e6d7a: pattern").contains("malware--not-a-uuid");
        // The bundle's own rules are checked too.
        assertThat(result.out()).contains(file + ": bundle--not-a-uuid: id: ");
        assertThat(result.err()).contains("invalid: " + lines.length + " violations");

        Path malformed = directory.resolve("malformed.json");
        Files.writeString(malformed, "{\"type\": \"bundle\", \"objects\": [ {\"type\": }");
        CliRunner.Result malformedResult = run("validate", malformed.toString());
        assertThat(malformedResult.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(malformedResult.out()).contains(malformed.toString()).contains("malformed JSON at line 1");

        CliRunner.Result missing = run("validate", directory.resolve("absent.json").toString());
        assertThat(missing.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(missing.err()).contains("absent.json").contains("no such file");
    }

    @Test
    void collectionsAreCreatedAndListed(@TempDir Path directory)
    {
        String dataDirectory = directory.resolve("data").toString();
        CliRunner.Result added = run("collection", "add", "--data-dir", dataDirectory, "--title", "Indicators");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        String generatedId = added.out().strip();
        assertThat(generatedId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

        String chosenId = "0b7d47a2-4d7c-4bb0-9ea5-4c8a7e1c9c3f";
        assertThat(run("collection", "add", "--data-dir", dataDirectory, "--title", "Reports", "--id", chosenId).out().strip()).isEqualTo(chosenId);
        assertThat(Files.exists(directory.resolve("data").resolve(NodeConfig.DATABASE_FILE))).isTrue();

        CliRunner.Result duplicate = run("collection", "add", "--data-dir", dataDirectory, "--title", "Again", "--id", chosenId);
        assertThat(duplicate.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(duplicate.err()).contains(chosenId).contains("already exists");

        CliRunner.Result badId = run("collection", "add", "--data-dir", dataDirectory, "--title", "Bad", "--id", "not-a-uuid");
        assertThat(badId.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(badId.err()).contains("--id 'not-a-uuid' is not a UUID");

        CliRunner.Result missingTitle = run("collection", "add", "--data-dir", dataDirectory);
        assertThat(missingTitle.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(missingTitle.err()).contains("--title");

        CliRunner.Result list = run("collection", "list", "--data-dir", dataDirectory);
        assertThat(list.out().lines().toList()).containsExactlyInAnyOrder(generatedId + "\t0\tIndicators", chosenId + "\t0\tReports");
    }

    @Test
    void usersGetHashedPasswordsAndRights(@TempDir Path directory)
    {
        String dataDirectory = directory.resolve("data").toString();
        String collectionId = run("collection", "add", "--data-dir", dataDirectory, "--title", "Shared").out().strip();

        CliRunner.Result added = runWithInput("correct horse battery staple\n", "user", "add", "--data-dir", dataDirectory, "alice", "--password-stdin", "--read", "*", "--write", collectionId);
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("user alice created").doesNotContain("correct horse");

        try (ObjectStore store = NodeStores.open(NodeConfig.load(Path.of(dataDirectory), Map.of()), InstantSource.system())) {
            UserAccount alice = store.findUser("alice").orElseThrow();
            assertThat(alice.readCollections()).containsExactly("*");
            assertThat(alice.writeCollections()).containsExactly(collectionId);
            assertThat(alice.administrator()).isFalse();
            assertThat(alice.passwordHash()).doesNotContain("correct horse");
            assertThat(PasswordHasher.withIterations(1).verify("correct horse battery staple", alice.passwordHash())).isTrue();
        }

        CliRunner.Result again = runWithInput("x\n", "user", "add", "--data-dir", dataDirectory, "alice", "--password-stdin");
        assertThat(again.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(again.err()).contains("alice").contains("already exists");

        CliRunner.Result unknownCollection = runWithInput("secret\n", "user", "add", "--data-dir", dataDirectory, "bob", "--password-stdin", "--read", "3f0e3b8e-1111-4111-8111-111111111111");
        assertThat(unknownCollection.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(unknownCollection.err()).contains("3f0e3b8e-1111-4111-8111-111111111111").contains("does not exist");

        CliRunner.Result emptyPassword = runWithInput("", "user", "add", "--data-dir", dataDirectory, "carol", "--password-stdin");
        assertThat(emptyPassword.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(emptyPassword.err()).contains("--password-stdin").contains("carol");

        CliRunner.Result generated = run("user", "add", "--data-dir", dataDirectory, "dave", "--token");
        assertThat(generated.exitCode()).isZero();
        assertThat(generated.out()).containsPattern("Password: \\S{20,}").containsPattern("Token: [0-9a-f]+\\.\\S+");
    }

    @Test
    void importExportRoundTrip(@TempDir Path directory)
            throws IOException
    {
        String dataDirectory = directory.resolve("data").toString();
        String collectionId = run("collection", "add", "--data-dir", dataDirectory, "--title", "Generated").out().strip();
        Path file = directory.resolve("generated.json");
        int count = 500 + new Random().nextInt(500);
        run("generate", "--objects", Integer.toString(count), "--seed", "9", "--output", file.toString());

        CliRunner.Result imported = run("import", "--data-dir", dataDirectory, "--collection", collectionId, "--progress-lines", "--batch-size", "200", file.toString());
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains(ImportCommand.COMMITTED_PREFIX + count + " stored=" + count + " duplicates=0");
        assertThat(imported.out()).contains("imported " + count + " objects from 1 file: " + count + " stored, 0 duplicates, 0 rejected");

        CliRunner.Result again = run("import", "--data-dir", dataDirectory, "--collection", collectionId, file.toString());
        assertThat(again.out()).contains("0 stored, " + count + " duplicates");

        CliRunner.Result all = run("export", "--data-dir", dataDirectory, "--collection", collectionId, "--all-versions");
        assertThat(all.exitCode()).isZero();
        JsonNode exported = StixJson.parse(all.out());
        assertThat(exported.get("objects").size()).isEqualTo(count);
        JsonNode generated = StixJson.parse(Files.readString(file));
        assertThat(versions(exported)).isEqualTo(versions(generated));

        CliRunner.Result latest = run("export", "--data-dir", dataDirectory, "--collection", collectionId);
        Set<String> ids = new HashSet<>();
        generated.get("objects").forEach(object -> ids.add(object.get("id").asString()));
        assertThat(StixJson.parse(latest.out()).get("objects").size()).isEqualTo(ids.size());

        Path exportedFile = directory.resolve("exported.json");
        Files.writeString(exportedFile, all.out());
        assertThat(run("validate", exportedFile.toString()).exitCode()).isZero();
    }

    @Test
    void importErrorsSayWhatWhereAndWhy(@TempDir Path directory)
            throws IOException
    {
        String dataDirectory = directory.resolve("data").toString();
        String collectionId = run("collection", "add", "--data-dir", dataDirectory, "--title", "Target").out().strip();
        Path good = directory.resolve("good.json");
        run("generate", "--objects", "10", "--output", good.toString());

        CliRunner.Result missingFile = run("import", "--data-dir", dataDirectory, "--collection", collectionId, good.toString(), directory.resolve("absent.json").toString());
        assertThat(missingFile.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(missingFile.err()).contains("absent.json").contains("does not exist");

        CliRunner.Result unknownCollection = run("import", "--data-dir", dataDirectory, "--collection", "7d9c1d1e-2222-4222-8222-222222222222", good.toString());
        assertThat(unknownCollection.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(unknownCollection.err()).contains("collection 7d9c1d1e-2222-4222-8222-222222222222 does not exist");

        Path malformed = directory.resolve("malformed.json");
        Files.writeString(malformed, "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[\n{\"type\": \"indicator\",,}]}");
        CliRunner.Result invalidBundle = run("import", "--data-dir", dataDirectory, "--collection", collectionId, malformed.toString());
        assertThat(invalidBundle.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(invalidBundle.out()).contains("unreadable: " + malformed + ": malformed JSON at line 2");

        Path invalidObject = directory.resolve("invalid-object.json");
        Files.writeString(invalidObject, "[{\"type\":\"campaign\",\"spec_version\":\"2.1\",\"id\":\"campaign--6a1a5e52-3f4b-4c8b-9a57-0b5c2f1e6d7b\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-01T00:00:00.000Z\"}]");
        CliRunner.Result rejected = run("import", "--data-dir", dataDirectory, "--collection", collectionId, invalidObject.toString(), good.toString());
        assertThat(rejected.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(rejected.out()).contains("10 stored, 0 duplicates, 1 rejected")
                .contains("rejected: " + invalidObject + ": object 0 (campaign--6a1a5e52-3f4b-4c8b-9a57-0b5c2f1e6d7b)")
                .contains("name");

        CliRunner.Result exportUnknown = run("export", "--data-dir", dataDirectory, "--collection", "7d9c1d1e-2222-4222-8222-222222222222");
        assertThat(exportUnknown.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(exportUnknown.err()).contains("7d9c1d1e-2222-4222-8222-222222222222");
    }

    @Test
    void serveFailingToListenCreatesNoAdministrator(@TempDir Path directory)
            throws IOException
    {
        Path dataDirectory = directory.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRunner.Result result = assertTimeoutPreemptively(Duration.ofMinutes(2),
                    () -> run("serve", "--data-dir", dataDirectory.toString(), "--port", Integer.toString(taken.getLocalPort())));
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILURE);
            assertThat(result.err()).contains("cannot start the HTTP server on 127.0.0.1:" + taken.getLocalPort());
            assertThat(result.out()).doesNotContain("Password");
        }
        try (ObjectStore store = NodeStores.open(NodeConfig.load(dataDirectory, Map.of()), InstantSource.system())) {
            // The next successful start will create the administrator and show its password.
            assertThat(store.listUsers()).isEmpty();
        }
        CliRunner.Result badPort = run("serve", "--data-dir", dataDirectory.toString(), "--port", "70000");
        assertThat(badPort.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(badPort.err()).contains("http.port");
    }

    @Test
    void usageErrors()
    {
        CliRunner.Result none = run();
        assertThat(none.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(none.err()).contains("a command is required");
        CliRunner.Result unknown = run("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(unknown.err()).contains("frobnicate");
        CliRunner.Result help = run("import", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--collection").contains("--progress-lines");
    }

    @Test
    void matchWorkerConfigurationErrorsNameTheKey(@TempDir Path directory)
    {
        String dataDirectory = directory.resolve("data").toString();
        CliRunner.Result missingCollection = run("match-worker", "--data-dir", dataDirectory, "--bootstrap-servers", "127.0.0.1:9092");
        assertThat(missingCollection.exitCode()).as(missingCollection.toString()).isEqualTo(Main.INVALID_INPUT);
        assertThat(missingCollection.err()).contains("match-worker.indicator-collection");
        CliRunner.Result badServers = run("match-worker", "--data-dir", dataDirectory, "--bootstrap-servers", "no port here", "--indicators", "c1");
        assertThat(badServers.exitCode()).as(badServers.toString()).isEqualTo(Main.INVALID_INPUT);
        assertThat(badServers.err()).contains("kafka.bootstrap-servers");
    }

    private static Set<String> versions(JsonNode bundle)
    {
        Set<String> versions = new HashSet<>();
        bundle.get("objects").forEach(object -> {
            StixObject header = StixObject.fromTree(object, object.toString());
            versions.add(header.id() + "@" + header.version().map(Object::toString).orElse("unversioned"));
        });
        return versions;
    }
}
