package org.vigie.node.cli;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.server.NodeStores;
import org.vigie.node.testing.TestPostgres;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.node.testing.Keytool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vigie migrate} to a real PostgreSQL server moves the exchange state too: after the copy, with
 * {@code exchange.db} out of the way, every exchange command reads the same partners, policy, outbox and
 * ledger (same head) from PostgreSQL; a second migration into the same database is refused before anything
 * is written.
 */
class MigrateExchangeTest
{
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z"));
    private static final String COLLECTION = "2d4f8c2e-1b7a-4c3e-9f0a-6b5d4c3b2a10";
    private static final String INDICATOR = "indicator--0f7a2a3c-5a6e-4c8e-9a55-0c8d2f6a1b01";
    private static final String GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";

    @TempDir
    Path directory;

    @Test
    void theExchangeStateMovesWithTheStoreAndIsReadFromPostgresql()
            throws Exception
    {
        Path data = directory.resolve("node");
        Files.createDirectories(data);
        try (ObjectStore store = ObjectStores.sqlite(data.resolve("vigie.db"), CLOCK)) {
            store.createCollection(new CollectionInfo(COLLECTION, "Shared", Optional.empty(), Optional.empty(), List.of(CollectionInfo.STIX_21_MEDIA_TYPE)));
            store.addObjects(COLLECTION, List.of(StixObject.fromJson("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + INDICATOR + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                    + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[ipv4-addr:value = '198.51.100.1']\",\"pattern_type\":\"stix\","
                    + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[\"" + GREEN + "\"]}")));
        }
        Path certificate = certificate();
        Path signingKey = directory.resolve("bsi.jwk");
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("bsi-1").generate();
        Files.writeString(signingKey, key.toPublicJWK().toJSONString());
        Path policy = directory.resolve("policy.json");
        Files.writeString(policy, "{\"name\": \"cert\", \"rules\": [{\"name\": \"bsi gets green\", \"effect\": \"allow\", \"partners\": [\"bsi\"], \"max_tlp\": \"green\"}]}");
        String dataDirectory = data.toString();
        expectSuccess("partner", "add", "--data-dir", dataDirectory, "--name", "bsi", "--identity", "identity--5c1b2f1e-8a0e-4f53-9c2b-1a1e3e0b7a11",
                "--endpoint", "https://127.0.0.1:7443/", "--certificate", certificate.toString(), "--signing-key", signingKey.toString());
        expectSuccess("group", "add", "--data-dir", dataDirectory, "--name", "forum", "--kind", "multilateral", "--member", "bsi");
        expectSuccess("policy", "set", "--data-dir", dataDirectory, policy.toString());
        expectSuccess("release", "--data-dir", dataDirectory, "--collection", COLLECTION, "--to", "bsi");
        List<String> reads = List.of("partner list", "group list", "policy show", "outbox", "identity show", "audit query");
        List<String> before = new ArrayList<>();
        for (String read : reads) {
            before.add(expectSuccess(arguments(read, dataDirectory)).out());
        }
        String verifiedBefore = expectSuccess("audit", "verify", "--data-dir", dataDirectory).out();
        String head = verifiedBefore.strip().substring(verifiedBefore.strip().lastIndexOf(' ') + 1);
        String url = TestPostgres.newDatabase("migrate");

        // The form: the store file and a postgresql: url (the data directory is the file's).
        Result migrated = expectSuccess("migrate", "--from", "sqlite:" + data.resolve("vigie.db"), "--to", url.substring("jdbc:".length()), "--user", "postgres");

        assertThat(migrated.out()).contains("table objects", "exchange table vigie_audit_ledger", "exchange table vigie_exchange_outbox ", "exchange table vigie_exchange_partner",
                "exchange table vigie_exchange_policy", "exchange audit ledger: 4 entries, hash chain verified, head " + head);
        Files.writeString(data.resolve("vigie.properties"), "store.url=" + url + "\nstore.user=postgres\n");
        Files.move(data.resolve("exchange.db"), directory.resolve("exchange.db.moved-away"));
        for (int index = 0; index < reads.size(); index++) {
            assertThat(expectSuccess(arguments(reads.get(index), dataDirectory)).out()).as(reads.get(index)).isEqualTo(before.get(index));
        }
        String verifiedAfter = expectSuccess("audit", "verify", "--data-dir", dataDirectory).out();
        assertThat(verifiedAfter).contains("(schema vigie_exchange) verified: 4 entries, head " + head);
        assertThat(data.resolve("exchange.db")).doesNotExist();

        Files.delete(data.resolve("vigie.properties"));
        Files.move(directory.resolve("exchange.db.moved-away"), data.resolve("exchange.db"));
        Result again = run("migrate", "--data-dir", dataDirectory, "--to", url, "--user", "postgres");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(Main.INVALID_INPUT);
        assertThat(again.err()).contains("target exchange database", "is not empty: table vigie_audit_ledger has 4 rows");
    }

    private static String[] arguments(String read, String dataDirectory)
    {
        List<String> arguments = new ArrayList<>(List.of(read.split(" ")));
        arguments.add("--data-dir");
        arguments.add(dataDirectory);
        return arguments.toArray(String[]::new);
    }

    private Path certificate()
            throws Exception
    {
        Path keystore = directory.resolve("node.p12");
        Path certificate = directory.resolve("partner.pem");
        Keytool.run("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=bsi,O=Vigie test", "-validity", "30",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        Keytool.run("-exportcert", "-rfc", "-alias", "node", "-keystore", keystore.toString(), "-storepass", "changeit", "-file", certificate.toString());
        return certificate;
    }

    private record Result(int exitCode, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- out ---\n" + out + "\n--- err ---\n" + err;
        }
    }

    private static Result expectSuccess(String... arguments)
    {
        Result result = run(arguments);
        assertThat(result.exitCode()).as(String.join(" ", arguments) + "\n" + result).isZero();
        return result;
    }

    private static Result run(String... arguments)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK, false, NodeStores::open, PasswordHasher.withIterations(1_000));
        int exitCode = Main.commandLine(context).execute(arguments);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
