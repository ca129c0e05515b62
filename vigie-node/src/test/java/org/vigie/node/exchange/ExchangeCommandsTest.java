package org.vigie.node.exchange;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.vigie.error.VigieException;
import org.vigie.node.cli.CommandContext;
import org.vigie.node.server.NodeStores;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.stix.StixObject;
import org.vigie.taxii.auth.PasswordHasher;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Every exchange command run in-process on a temporary data directory with real SQLite files. */
class ExchangeCommandsTest
{
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z"));
    private static final String GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    private static final String RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    private static final String GREEN_INDICATOR = "indicator--0f7a2a3c-5a6e-4c8e-9a55-0c8d2f6a1b01";
    private static final String RED_INDICATOR = "indicator--0f7a2a3c-5a6e-4c8e-9a55-0c8d2f6a1b02";
    private static final String BSI_IDENTITY = "identity--5c1b2f1e-8a0e-4f53-9c2b-1a1e3e0b7a11";
    private static final String COLLECTION = "2d4f8c2e-1b7a-4c3e-9f0a-6b5d4c3b2a10";

    @TempDir
    static Path shared;

    private static Path certificate;
    private static Path keystore;

    @TempDir
    Path directory;

    private Path dataDirectory;
    private Path signingKey;

    record Result(int exitCode, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- out ---\n" + out + "\n--- err ---\n" + err;
        }
    }

    @BeforeAll
    static void createCertificate()
            throws Exception
    {
        keystore = shared.resolve("node.p12");
        certificate = shared.resolve("partner.pem");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=bsi,O=Vigie test", "-validity", "30",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "node", "-keystore", keystore.toString(), "-storepass", "changeit", "-file", certificate.toString());
    }

    @BeforeEach
    void setUp()
            throws Exception
    {
        dataDirectory = directory.resolve("data");
        signingKey = directory.resolve("bsi.jwk");
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("bsi-1").generate();
        Files.writeString(signingKey, key.toPublicJWK().toJSONString());
    }

    @Test
    void partnerAddListRemovePinsTheCertificateFingerprint()
            throws Exception
    {
        Result added = addPartner("bsi");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("added partner bsi (" + BSI_IDENTITY + ")", "certificate sha256 " + fingerprint(certificate), "kid bsi-1");

        Result listed = run("partner", "list", "--data-dir", dataDirectory.toString());
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out().lines().toList()).singleElement().satisfies(line -> assertThat(line.split("\t"))
                .containsExactly("bsi", BSI_IDENTITY, "https://127.0.0.1:7443/", fingerprint(certificate), "kid bsi-1", "groups=", "Bundesamt"));

        Result removed = run("partner", "remove", "--data-dir", dataDirectory.toString(), "--name", "bsi");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(run("partner", "list", "--data-dir", dataDirectory.toString()).out()).isEmpty();

        Result missing = run("partner", "remove", "--data-dir", dataDirectory.toString(), "--name", "bsi");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("VG-0601", "no partner with id 'bsi'");

        Result audit = run("audit", "query", "--data-dir", dataDirectory.toString(), "--partner", "bsi", "--kind", "partner_change");
        assertThat(audit.out().lines()).hasSize(2).allSatisfy(line -> assertThat(line).contains("PARTNER_CHANGE\tbsi\tcli:"));
    }

    @Test
    void partnerAddWithABadCertificateFileIsAClearError()
            throws Exception
    {
        Path bad = directory.resolve("not-a-certificate.pem");
        Files.writeString(bad, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        Result result = run("partner", "add", "--data-dir", dataDirectory.toString(), "--name", "bsi", "--identity", BSI_IDENTITY,
                "--endpoint", "https://127.0.0.1:7443/", "--certificate", bad.toString(), "--signing-key", signingKey.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("vigie: error VG-0001: partner bsi: --certificate " + bad + " is not an X.509 certificate in PEM or DER form");
        assertThat(result.out()).isEmpty();

        Result absent = run("partner", "add", "--data-dir", dataDirectory.toString(), "--name", "bsi", "--identity", BSI_IDENTITY,
                "--endpoint", "https://127.0.0.1:7443/", "--certificate", directory.resolve("absent.pem").toString(), "--signing-key", signingKey.toString());
        assertThat(absent.exitCode()).isEqualTo(1);
        assertThat(absent.err()).contains("--certificate " + directory.resolve("absent.pem") + ": no such file");

        Path notJwk = directory.resolve("key.jwk");
        Files.writeString(notJwk, "{\"kty\":\"RSA\"}");
        Result badKey = run("partner", "add", "--data-dir", dataDirectory.toString(), "--name", "bsi", "--identity", BSI_IDENTITY,
                "--endpoint", "https://127.0.0.1:7443/", "--certificate", certificate.toString(), "--signing-key", notJwk.toString());
        assertThat(badKey.exitCode()).isEqualTo(2);
        assertThat(badKey.err()).contains("--signing-key " + notJwk + " is not an Ed25519 JWK");

        Result httpEndpoint = run("partner", "add", "--data-dir", dataDirectory.toString(), "--name", "bsi", "--identity", BSI_IDENTITY,
                "--endpoint", "http://127.0.0.1:7443/", "--certificate", certificate.toString(), "--signing-key", signingKey.toString());
        assertThat(httpEndpoint.exitCode()).isEqualTo(2);
        assertThat(httpEndpoint.err()).contains("--endpoint 'http://127.0.0.1:7443/' must be an https URL");
        assertThat(run("partner", "list", "--data-dir", dataDirectory.toString()).out()).isEmpty();
    }

    @Test
    void groupsNameRegisteredPartnersOnly()
    {
        assertThat(addPartner("bsi").exitCode()).isZero();
        Result added = run("group", "add", "--data-dir", dataDirectory.toString(), "--name", "eu-forum", "--kind", "multilateral", "--member", "bsi");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(run("group", "list", "--data-dir", dataDirectory.toString()).out()).isEqualTo("eu-forum\tmultilateral\tbsi\teu-forum\n");

        Result unknown = run("group", "add", "--data-dir", dataDirectory.toString(), "--name", "other", "--kind", "multilateral", "--member", "bsi", "anssi");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("trust group other: member 'anssi' is not a registered partner");

        Result badKind = run("group", "add", "--data-dir", dataDirectory.toString(), "--name", "other", "--kind", "trilateral", "--member", "bsi");
        assertThat(badKind.exitCode()).isEqualTo(2);
        assertThat(badKind.err()).contains("--kind 'trilateral' must be bilateral or multilateral");
    }

    @Test
    void identityShowPrintsWhatPartnersPinAndKeepsTheKeyOwnerOnly()
            throws Exception
    {
        Files.createDirectories(dataDirectory);
        Files.writeString(dataDirectory.resolve("vigie.properties"), "http.tls.keystore=" + keystore + "\nhttp.tls.keystore-password=changeit\n");
        Result first = run("identity", "show", "--data-dir", dataDirectory.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        List<String> lines = first.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("identity: identity--[0-9a-f-]{36}");
        OctetKeyPair published = OctetKeyPair.parse(lines.get(1).substring("signing key: ".length()));
        assertThat(published.getCurve()).isEqualTo(Curve.Ed25519);
        assertThat(published.isPrivate()).isFalse();
        assertThat(lines.get(2)).isEqualTo("certificate sha256: " + fingerprint(certificate) + " (" + keystore + ")");

        Path identityFile = dataDirectory.resolve(NodeIdentity.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identityFile))).isEqualTo("rw-------");
        assertThat(run("identity", "show", "--data-dir", dataDirectory.toString()).out()).isEqualTo(first.out());

        Files.setPosixFilePermissions(identityFile, PosixFilePermissions.fromString("rw-r--r--"));
        Result exposed = run("identity", "show", "--data-dir", dataDirectory.toString());
        assertThat(exposed.exitCode()).isEqualTo(2);
        assertThat(exposed.err()).contains("exchange identity file " + identityFile, "rw-r--r--", "chmod 600");
    }

    @Test
    void policySetShowAndInvalidPolicy()
            throws Exception
    {
        Result show = run("policy", "show", "--data-dir", directory.resolve("absent").toString());
        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err()).contains("data directory", "does not exist");

        Path policy = writePolicy();
        Result set = run("policy", "set", "--data-dir", dataDirectory.toString(), policy.toString());
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).startsWith("release policy 'national-cert-2026' with 1 rule(s) is in effect, sha256 ");
        Result shown = run("policy", "show", "--data-dir", dataDirectory.toString());
        assertThat(shown.out()).contains("\"name\" : \"forum gets green\"", "\"max_tlp\" : \"green\"");
        String hash = set.out().strip().substring(set.out().strip().lastIndexOf(' ') + 1);
        assertThat(shown.err()).contains("sha256 " + hash);
        assertThat(run("audit", "query", "--data-dir", dataDirectory.toString(), "--kind", "policy_change").out())
                .contains("POLICY_CHANGE", "policy 'national-cert-2026' with 1 rule(s), sha256 " + hash);

        Path invalid = directory.resolve("invalid-policy.json");
        Files.writeString(invalid, "{\"name\": \"x\", \"rules\": [{\"name\": \"r\", \"effect\": \"allow\", \"all_partners\": true, \"colections\": [\"a\"]}]}");
        Result rejected = run("policy", "set", "--data-dir", dataDirectory.toString(), invalid.toString());
        assertThat(rejected.exitCode()).isEqualTo(2);
        assertThat(rejected.err()).contains("release policy file " + invalid + " is invalid", "colections");
        assertThat(run("policy", "show", "--data-dir", dataDirectory.toString()).out()).isEqualTo(shown.out());
    }

    @Test
    void releaseDryRunShowsThePolicyDecisionPerPartnerAndQueuesNothing()
            throws Exception
    {
        prepareReleasableData();
        Result dryRun = run("release", "--data-dir", dataDirectory.toString(), "--collection", COLLECTION, "--to", "eu-forum", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains(
                "partner bsi (dry run): would receive 1 of 2 object(s) under TLP:GREEN",
                "  released " + GREEN_INDICATOR + ": ALLOWED_BY_RULE (rule 'forum gets green'): ",
                "  withheld " + RED_INDICATOR + ": RED_WITHOUT_NAMED_RECIPIENTS");
        Result outbox = run("outbox", "--data-dir", dataDirectory.toString(), "--partner", "bsi");
        assertThat(outbox.out()).startsWith("partner bsi: 0 envelope(s), depth 0\n");
        assertThat(run("audit", "query", "--data-dir", dataDirectory.toString(), "--kind", "release").out()).isEmpty();

        Result unknown = run("release", "--data-dir", dataDirectory.toString(), "--collection", COLLECTION, "--to", "nobody", "--dry-run");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("--to 'nobody' is neither a registered partner nor a trust group");
    }

    @Test
    void releaseQueuesAndIsAuditedThenRecall()
            throws Exception
    {
        prepareReleasableData();
        Result released = run("release", "--data-dir", dataDirectory.toString(), "--collection", COLLECTION, "--object", GREEN_INDICATOR, "--to", "bsi");
        assertThat(released.exitCode()).as(released.toString()).isZero();
        assertThat(released.out()).containsPattern("partner bsi: 1 of 1 object\\(s\\) released, queued envelope--[0-9a-f-]{36} sequence 1\n");

        Result outbox = run("outbox", "--data-dir", dataDirectory.toString(), "--partner", "bsi");
        assertThat(outbox.out()).startsWith("partner bsi: 1 envelope(s), depth 1, PENDING 1\n  last receipt: none\n")
                .containsPattern("  sequence 1 RELEASE envelope--\\S+ PENDING, 1 object\\(s\\), 0 attempt\\(s\\), next attempt 2026-03-01T10:00:00");

        Result audit = run("audit", "query", "--data-dir", dataDirectory.toString(), "--partner", "bsi", "--kind", "release", "--object", GREEN_INDICATOR);
        assertThat(audit.out().lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .contains("2026-03-01T10:00:00", "RELEASE\tbsi", "objects=" + GREEN_INDICATOR, "handling=TLP:GREEN", "1 released, 0 withheld; sequence 1"));
        Result json = run("audit", "query", "--data-dir", dataDirectory.toString(), "--kind", "release", "--json");
        assertThat(json.out()).contains("\"kind\":\"RELEASE\"", "\"partner_id\":\"bsi\"", "\"hash\":\"");
        assertThat(run("audit", "query", "--data-dir", dataDirectory.toString(), "--kind", "release", "--until", "2026-03-01T09:00:00Z").out()).isEmpty();
        Result badTime = run("audit", "query", "--data-dir", dataDirectory.toString(), "--since", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.err()).contains("--since 'yesterday' is not a timestamp");

        Result recall = run("recall", "--data-dir", dataDirectory.toString(), "--object", GREEN_INDICATOR, "--reason", "false positive");
        assertThat(recall.exitCode()).as(recall.toString()).isZero();
        assertThat(recall.out()).startsWith("recall of " + GREEN_INDICATOR + " queued for bsi");
        Result status = run("recall", "status", "--data-dir", dataDirectory.toString(), "--object", GREEN_INDICATOR);
        assertThat(status.out()).startsWith("bsi\tnot acknowledged\tPENDING\tenvelope--");
        assertThat(run("recall", "status", "--data-dir", dataDirectory.toString(), "--object", RED_INDICATOR).out()).isEqualTo("no recall of " + RED_INDICATOR + " was sent\n");
        Result noObject = run("recall", "--data-dir", dataDirectory.toString());
        assertThat(noObject.exitCode()).isEqualTo(2);
        assertThat(noObject.err()).contains("recall needs --object ID");
        assertThat(run("audit", "query", "--data-dir", dataDirectory.toString(), "--kind", "recall", "--object", GREEN_INDICATOR).out())
                .contains("RECALL\tbsi");
    }

    @Test
    void auditVerifyPassesThenFailsNamingTheAlteredEntry()
            throws Exception
    {
        assertThat(addPartner("bsi").exitCode()).isZero();
        assertThat(run("policy", "set", "--data-dir", dataDirectory.toString(), writePolicy().toString()).exitCode()).isZero();
        assertThat(run("group", "add", "--data-dir", dataDirectory.toString(), "--name", "eu-forum", "--kind", "multilateral", "--member", "bsi").exitCode()).isZero();

        Result verified = run("audit", "verify", "--data-dir", dataDirectory.toString());
        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.out()).matches("audit ledger .*exchange\\.db verified: 3 entries, head 3:[0-9a-f]{64}\n");
        String anchor = verified.out().strip().substring(verified.out().strip().lastIndexOf(' ') + 1);
        assertThat(run("audit", "verify", "--data-dir", dataDirectory.toString(), "--anchor", anchor).exitCode()).isZero();

        // An intruder with write access to the file edits the policy change's detail in place.
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dataDirectory.resolve("exchange.db"));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("UPDATE vigie_audit_ledger SET entry = replace(entry, 'national-cert-2026', 'harmless') WHERE position = 2")) {
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
        Result broken = run("audit", "verify", "--data-dir", dataDirectory.toString());
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.out()).contains("is broken at entry 2 (ALTERED): entry 2 was altered: its content no longer gives its hash; 1 entries before it verified");

        Result badAnchor = run("audit", "verify", "--data-dir", dataDirectory.toString(), "--anchor", "3:abc");
        assertThat(badAnchor.exitCode()).isEqualTo(2);
        assertThat(badAnchor.err()).contains("--anchor '3:abc' must be SEQUENCE:HASH");
    }

    private void prepareReleasableData()
            throws Exception
    {
        assertThat(addPartner("bsi").exitCode()).isZero();
        assertThat(run("group", "add", "--data-dir", dataDirectory.toString(), "--name", "eu-forum", "--kind", "multilateral", "--member", "bsi").exitCode()).isZero();
        assertThat(run("policy", "set", "--data-dir", dataDirectory.toString(), writePolicy().toString()).exitCode()).isZero();
        try (ObjectStore store = ObjectStores.sqlite(dataDirectory.resolve("vigie.db"), CLOCK)) {
            store.createCollection(new CollectionInfo(COLLECTION, "Shared", Optional.empty(), Optional.empty(), List.of(CollectionInfo.STIX_21_MEDIA_TYPE)));
            store.addObjects(COLLECTION, List.of(indicator(GREEN_INDICATOR, GREEN, "198.51.100.1"), indicator(RED_INDICATOR, RED, "198.51.100.2")));
        }
    }

    private static StixObject indicator(String id, String marking, String address)
    {
        return StixObject.fromJson("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[ipv4-addr:value = '" + address + "']\",\"pattern_type\":\"stix\","
                + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[\"" + marking + "\"]}");
    }

    private Path writePolicy()
            throws Exception
    {
        Path policy = directory.resolve("policy.json");
        Files.writeString(policy, "{\"name\": \"national-cert-2026\", \"rules\": [{\"name\": \"forum gets green\", \"effect\": \"allow\", \"groups\": [\"eu-forum\"], \"partners\": [\"bsi\"], \"max_tlp\": \"green\"}]}");
        return policy;
    }

    private Result addPartner(String name)
    {
        return run("partner", "add", "--data-dir", dataDirectory.toString(), "--name", name, "--title", "Bundesamt", "--identity", BSI_IDENTITY,
                "--endpoint", "https://127.0.0.1:7443/", "--certificate", certificate.toString(), "--signing-key", signingKey.toString());
    }

    private static String fingerprint(Path pem)
            throws Exception
    {
        try (var in = Files.newInputStream(pem)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded()));
        }
    }

    static void keytool(String... arguments)
            throws Exception
    {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** The exchange commands under a root command, with the exit-code mapping of {@code Main}. */
    static Result run(String... arguments)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandContext context = new CommandContext(new ByteArrayInputStream(new byte[0]), outStream, errStream, CLOCK, false, NodeStores::open, PasswordHasher.withIterations(1_000));
        CommandLine commandLine = new CommandLine(new Root());
        ExchangeCommands.register(commandLine, context);
        commandLine.setOut(new java.io.PrintWriter(outStream, true));
        commandLine.setErr(new java.io.PrintWriter(errStream, true));
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (exception instanceof VigieException vigieException) {
                errStream.println("vigie: error " + vigieException.errorCode().code() + ": " + vigieException.getMessage());
                return switch (vigieException.kind()) {
                    case USER_ERROR, TOO_LARGE -> 2;
                    case UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, INTERNAL -> 1;
                };
            }
            throw exception;
        });
        int exitCode = commandLine.execute(arguments);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @CommandLine.Command(name = "vigie")
    static final class Root
            implements Runnable
    {
        @Override
        public void run()
        {
            throw new IllegalStateException("a command is required");
        }
    }
}
