package org.vigie.node.cli;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.auth.PasswordHasher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release policy at the node's egresses other than push: {@code vigie export --partner} and TAXII
 * reads by a node user linked to a partner ({@code exchange.partner-users}), on a real data directory
 * and a running node. Plain export stays the administrator's full dump.
 */
class PartnerEgressTest
{
    private static final String GREEN = Tlp.GREEN.markingId();
    private static final String RED = Tlp.RED.markingId();
    private static final String GREEN_INDICATOR = "indicator--4a8e6c1d-2b3f-4d5e-8f60-71a2b3c4d5e1";
    private static final String RED_INDICATOR = "indicator--4a8e6c1d-2b3f-4d5e-8f60-71a2b3c4d5e2";
    private static final String REPORT = "report--4a8e6c1d-2b3f-4d5e-8f60-71a2b3c4d5e3";
    private static final String FOR_ANOTHER_INDICATOR = "indicator--4a8e6c1d-2b3f-4d5e-8f60-71a2b3c4d5e4";
    private static final String ANOTHER_IDENTITY = "identity--0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b";
    private static final String BSI_IDENTITY = "identity--9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
    private static final String COLLECTION = "7c6b5a49-3827-4165-9e8d-7c6b5a493827";
    private static final String TAXII = "application/taxii+json;version=2.1";

    @TempDir
    Path directory;

    @Test
    void exportForAPartnerAndTaxiiReadsOfALinkedUserApplyThePolicy()
            throws Exception
    {
        Path dataDirectory = directory.resolve("data");
        prepare(dataDirectory);
        String data = dataDirectory.toString();

        CliRunner.Result full = CliRunner.run("export", "--data-dir", data, "--collection", COLLECTION);
        assertThat(full.exitCode()).as(full.toString()).isZero();
        assertThat(ids(StixJson.parse(full.out()))).containsExactly(GREEN_INDICATOR, RED_INDICATOR, REPORT);

        CliRunner.Result forPartner = CliRunner.run("export", "--data-dir", data, "--collection", COLLECTION, "--partner", "bsi");
        assertThat(forPartner.exitCode()).as(forPartner.toString()).isZero();
        JsonNode bundle = StixJson.parse(forPartner.out());
        assertThat(bundle.path("type").asString()).isEqualTo("bundle");
        assertThat(ids(bundle)).hasSize(3).startsWith(GREEN_INDICATOR, REPORT);
        assertThat(bundle.path("objects").get(1).path("object_refs").values()).extracting(JsonNode::asString).containsExactly(GREEN_INDICATOR);
        // The partner is told in the bundle itself, by a note, which reference was cut (not its target).
        JsonNode note = bundle.path("objects").get(2);
        assertThat(note.path("type").asString()).isEqualTo("note");
        assertThat(note.path("object_refs").values()).extracting(JsonNode::asString).containsExactly(REPORT);
        assertThat(note.path("content").asString()).contains(REPORT + " object_refs").doesNotContain(RED_INDICATOR);
        Path exported = Files.writeString(directory.resolve("for-bsi.json"), forPartner.out());
        CliRunner.Result validated = CliRunner.run("validate", exported.toString());
        assertThat(validated.exitCode()).as(validated.toString()).isZero();
        assertThat(forPartner.err()).contains("exported 2 object(s) for partner bsi, withheld 1, cut references: " + REPORT + " object_refs");

        CliRunner.Result unknown = CliRunner.run("export", "--data-dir", data, "--collection", COLLECTION, "--partner", "nobody");
        assertThat(unknown.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(unknown.err()).contains("no partner with id 'nobody'");
        assertThat(unknown.out()).isEmpty();

        CliRunner.Result audit = CliRunner.run("audit", "query", "--data-dir", data, "--partner", "bsi", "--kind", "release");
        assertThat(audit.out()).contains("RELEASE\tbsi\texport for partner bsi", GREEN_INDICATOR, REPORT).doesNotContain(RED_INDICATOR + ",");

        NodeConfig config = NodeConfig.load(dataDirectory, Map.of("http.port", "0", "exchange.partner-users", "analyst:bsi"));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            HttpClient client = HttpClient.newHttpClient();
            String analyst = "Basic " + Base64.getEncoder().encodeToString("analyst:analyst-password".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> objects = client.send(HttpRequest.newBuilder(node.apiRootUri().resolve("collections/" + COLLECTION + "/objects/"))
                    .header("Accept", TAXII).header("Authorization", analyst).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(objects.statusCode()).as(objects.body()).isEqualTo(200);
            assertThat(ids(StixJson.parse(objects.body()))).containsExactly(GREEN_INDICATOR, REPORT);
            assertThat(objects.headers().firstValue("X-Vigie-Withheld-References")).contains(REPORT + " object_refs");

            HttpResponse<String> withheld = client.send(HttpRequest.newBuilder(node.apiRootUri().resolve("collections/" + COLLECTION + "/objects/" + RED_INDICATOR + "/"))
                    .header("Accept", TAXII).header("Authorization", analyst).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withheld.statusCode()).isEqualTo(404);

            // Partners read through TAXII only: the node's other routes (console, metrics) refuse them.
            for (String path : List.of("metrics", "console/api/sharing/partners")) {
                HttpResponse<String> refused = client.send(HttpRequest.newBuilder(node.baseUri().resolve(path)).header("Authorization", analyst).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as(path + ": " + refused.body()).isEqualTo(403);
                assertThat(refused.body()).contains("reads as partner bsi");
            }
        }
        CliRunner.Result reads = CliRunner.run("audit", "query", "--data-dir", data, "--partner", "bsi", "--kind", "partner_read");
        assertThat(reads.out().lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line).contains("user:analyst as partner bsi"));
    }

    @Test
    void exportForAPartnerHoldsOnlyTheMarkingDefinitionsOfObjectsItGets()
            throws Exception
    {
        Path dataDirectory = directory.resolve("data");
        prepare(dataDirectory);
        // Another partner's recipients marking on an object bsi may not have: its definition names that partner.
        JsonNode forAnother = VigieMarking.empty().withRecipients(List.of(ANOTHER_IDENTITY)).toMarkingDefinition(Instant.parse("2026-01-01T00:00:00Z"), BSI_IDENTITY);
        String forAnotherId = forAnother.path("id").asString();
        try (ObjectStore store = ObjectStores.sqlite(dataDirectory.resolve("vigie.db"), InstantSource.fixed(Instant.parse("2026-03-01T11:00:00Z")))) {
            store.addObjects(COLLECTION, List.of(StixObject.fromJson(StixJson.compact(forAnother)),
                    StixObject.fromJson(StixJson.compact(Tlp.publishedDefinition(GREEN).orElseThrow())),
                    StixObject.fromJson(StixJson.compact(Tlp.publishedDefinition(RED).orElseThrow())),
                    StixObject.fromJson(StixJson.compact(indicatorNode(FOR_ANOTHER_INDICATOR, GREEN, forAnotherId)))));
        }

        CliRunner.Result full = CliRunner.run("export", "--data-dir", dataDirectory.toString(), "--collection", COLLECTION);
        assertThat(full.exitCode()).as(full.toString()).isZero();
        assertThat(ids(StixJson.parse(full.out()))).contains(forAnotherId, GREEN, RED, FOR_ANOTHER_INDICATOR);

        CliRunner.Result forPartner = CliRunner.run("export", "--data-dir", dataDirectory.toString(), "--collection", COLLECTION, "--partner", "bsi");
        assertThat(forPartner.exitCode()).as(forPartner.toString()).isZero();
        // GREEN marks objects bsi gets; RED and the recipients marking only objects withheld from it, as a push would send them.
        assertThat(ids(StixJson.parse(forPartner.out()))).contains(GREEN_INDICATOR, REPORT, GREEN).doesNotContain(RED, forAnotherId, FOR_ANOTHER_INDICATOR, RED_INDICATOR);
        assertThat(forPartner.out()).doesNotContain(ANOTHER_IDENTITY);
    }

    @Test
    void aPartnersTaxiiReadReachesTheLiveFeedAsAReleaseToThatPartner()
            throws Exception
    {
        Path dataDirectory = directory.resolve("data");
        prepare(dataDirectory);
        CliRunner.Result watcher = CliRunner.runWithInput("watcher-password\n", "user", "add", "--data-dir", dataDirectory.toString(), "watcher", "--password-stdin", "--read", "*");
        assertThat(watcher.exitCode()).as(watcher.toString()).isZero();
        NodeConfig config = NodeConfig.load(dataDirectory, Map.of("http.port", "0", "exchange.partner-users", "analyst:bsi"));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<java.io.InputStream> feed = client.send(HttpRequest.newBuilder(node.baseUri().resolve("console/api/feed"))
                    .header("Accept", "text/event-stream").header("Authorization", basic("watcher", "watcher-password")).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(feed.statusCode()).isEqualTo(200);
            try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(feed.body(), StandardCharsets.UTF_8))) {
                // Opened before the read: the stream is live once its first cursor came.
                assertThat(nextData(lines, "cursor")).isEqualTo("{}");
                HttpResponse<String> objects = client.send(HttpRequest.newBuilder(node.apiRootUri().resolve("collections/" + COLLECTION + "/objects/"))
                        .header("Accept", TAXII).header("Authorization", basic("analyst", "analyst-password")).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(objects.statusCode()).as(objects.body()).isEqualTo(200);

                JsonNode read = StixJson.parse(nextData(lines, "exchange"));
                assertThat(read.path("kind").asString()).isEqualTo("release");
                assertThat(read.path("direction").asString()).isEqualTo("released");
                assertThat(read.path("channel").asString()).isEqualTo("taxii");
                assertThat(read.path("partner_id").asString()).isEqualTo("bsi");
                // What the partner was served, with the badges of a push; never what the policy withheld.
                assertThat(read.path("objects").values()).extracting(object -> object.path("id").asString()).containsExactly(GREEN_INDICATOR, REPORT);
                assertThat(read.path("objects").get(0).path("badges").toString()).contains("\"kind\":\"tlp\"", "\"value\":\"green\"");
                assertThat(read.toString()).doesNotContain(RED_INDICATOR);
            }
        }
    }

    /** The data of the next server-sent event named {@code event}; fails when none comes before a deadline. */
    private static String nextData(java.io.BufferedReader lines, String event)
            throws java.io.IOException
    {
        // The stream sends a comment at least every heartbeat, so each line read returns well within the deadline.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        String current = "message";
        while (System.nanoTime() < deadline) {
            String line = lines.readLine();
            assertThat(line).as("the stream is still open").isNotNull();
            if (line.startsWith("event: ")) {
                current = line.substring(7);
            }
            else if (line.startsWith("data: ") && current.equals(event)) {
                return line.substring(6);
            }
        }
        throw new AssertionError("no '" + event + "' event in the live feed within 60 s");
    }

    private static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void prepare(Path dataDirectory)
            throws Exception
    {
        // Any X.509 certificate will do for the partner's pinned one (TAXII over TLS is tested in vigie-exchange): one the JDK ships.
        KeyStore authorities = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toFile(), "changeit".toCharArray());
        String alias = new TreeSet<>(Collections.list(authorities.aliases())).first();
        Path certificate = directory.resolve("bsi.der");
        Files.write(certificate, authorities.getCertificate(alias).getEncoded());
        Path signingKey = directory.resolve("bsi.jwk");
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("bsi-1").generate();
        Files.writeString(signingKey, key.toPublicJWK().toJSONString());
        Path policy = directory.resolve("policy.json");
        Files.writeString(policy, "{\"name\": \"green to bsi\", \"rules\": [{\"name\": \"bsi gets green\", \"effect\": \"allow\", \"partners\": [\"bsi\"], \"max_tlp\": \"green\"}]}");

        String data = dataDirectory.toString();
        for (CliRunner.Result result : List.of(
                CliRunner.run("partner", "add", "--data-dir", data, "--name", "bsi", "--title", "Bundesamt", "--identity", BSI_IDENTITY,
                        "--endpoint", "https://127.0.0.1:7443/", "--certificate", certificate.toString(), "--signing-key", signingKey.toString()),
                CliRunner.run("policy", "set", "--data-dir", data, policy.toString()),
                CliRunner.runWithInput("analyst-password\n", "user", "add", "--data-dir", data, "analyst", "--password-stdin", "--read", "*"))) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
        }
        try (ObjectStore store = ObjectStores.sqlite(dataDirectory.resolve("vigie.db"), InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z")))) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Shared"));
            store.addObjects(COLLECTION, List.of(indicator(GREEN_INDICATOR, GREEN, "198.51.100.1"), indicator(RED_INDICATOR, RED, "198.51.100.2"),
                    StixObject.fromJson("{\"type\":\"report\",\"spec_version\":\"2.1\",\"id\":\"" + REPORT + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                            + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"weekly\",\"published\":\"2026-01-01T00:00:00Z\","
                            + "\"object_refs\":[\"" + GREEN_INDICATOR + "\",\"" + RED_INDICATOR + "\"],\"object_marking_refs\":[\"" + GREEN + "\"]}")));
        }
    }

    private static StixObject indicator(String id, String marking, String address)
    {
        return StixObject.fromJson("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[ipv4-addr:value = '" + address + "']\",\"pattern_type\":\"stix\","
                + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[\"" + marking + "\"]}");
    }

    /** An indicator with a second marking, as a tree. */
    private static JsonNode indicatorNode(String id, String marking, String secondMarking)
    {
        ObjectNode indicator = (ObjectNode) StixJson.parse(indicator(id, marking, "198.51.100.9").json());
        ((tools.jackson.databind.node.ArrayNode) indicator.get("object_marking_refs")).add(secondMarking);
        return indicator;
    }

    private static List<String> ids(JsonNode bundle)
    {
        List<String> ids = new ArrayList<>();
        bundle.path("objects").values().forEach(object -> ids.add(object.path("id").asString()));
        return ids;
    }
}
